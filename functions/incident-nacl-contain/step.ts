import { CreateNetworkAclEntryCommand, type NetworkAcl } from '@aws-sdk/client-ec2';
import { CONTAINMENT_RULE_NUMBERS } from '../incident-shared/acl-range';
import { act, newReport, type CaseRef, type StepReport } from '../incident-shared/case';
import type { IncidentClients } from '../incident-shared/clients';
import { hasCode, refuse } from '../incident-shared/errors';
import { networkAcl } from '../incident-shared/instance';

/** The deny entry for an address in one direction, if the reserved range already holds it. */
export function existingDeny(acl: NetworkAcl, cidr: string, egress: boolean): number | undefined {
  return acl.Entries?.find(
    (e) =>
      !!e.Egress === egress &&
      e.RuleAction === 'deny' &&
      e.CidrBlock === cidr &&
      e.RuleNumber! >= CONTAINMENT_RULE_NUMBERS.first &&
      e.RuleNumber! <= CONTAINMENT_RULE_NUMBERS.last,
  )?.RuleNumber;
}

/** The lowest number of the reserved range free in this direction. */
export function freeNumber(acl: NetworkAcl, egress: boolean, skip: ReadonlySet<number> = new Set()): number | undefined {
  const used = new Set((acl.Entries ?? []).filter((e) => !!e.Egress === egress).map((e) => e.RuleNumber));
  for (let n = CONTAINMENT_RULE_NUMBERS.first; n <= CONTAINMENT_RULE_NUMBERS.last; n++) if (!used.has(n) && !skip.has(n)) return n;
  return undefined;
}

/**
 * Denies one address in one direction from a number of the reserved range.
 * Concurrent cases on the same ACL may pick the same number; EC2 then refuses
 * one of them (NetworkAclEntryAlreadyExists), which reads the ACL again and
 * takes the next free number. An entry already there for the address is kept.
 */
export async function ensureDeny(clients: IncidentClients, networkAclId: string, ip: string, egress: boolean): Promise<{ ruleNumber: number; created: boolean }> {
  const cidr = `${ip}/32`;
  const tried = new Set<number>();
  for (;;) {
    const acl = await networkAcl(clients, networkAclId);
    const present = existingDeny(acl, cidr, egress);
    if (present !== undefined) return { ruleNumber: present, created: false };
    const n = freeNumber(acl, egress, tried);
    if (n === undefined) refuse(`no free rule number left in ${CONTAINMENT_RULE_NUMBERS.first}-${CONTAINMENT_RULE_NUMBERS.last} of ${networkAclId}`);
    try {
      await clients.ec2.send(
        new CreateNetworkAclEntryCommand({ NetworkAclId: networkAclId, RuleNumber: n, Egress: egress, RuleAction: 'deny', Protocol: '-1', CidrBlock: cidr }),
      );
      return { ruleNumber: n, created: true };
    } catch (error) {
      if (!hasCode(error, 'NetworkAclEntryAlreadyExists')) throw error;
      tried.add(n);
    }
  }
}

/**
 * Layer one of network containment: stateless deny entries for every private
 * address of the instance, inbound and outbound, in the number block the
 * network tier keeps below every allow rule. They cut established flows that
 * cross the subnet boundary at once, which a security-group change does not.
 */
export async function naclContain(clients: IncidentClients, c: CaseRef): Promise<StepReport> {
  const report = newReport('nacl-contain');
  for (const eni of c.prior.networkInterfaces) {
    if (!eni.networkAclId) {
      report.notDone.push(`${eni.networkInterfaceId}: subnet ${eni.subnetId} has no network ACL recorded`);
      continue;
    }
    for (const ip of eni.privateIps) {
      for (const egress of [false, true]) {
        const direction = egress ? 'outbound' : 'inbound';
        const what = `deny ${direction} ${ip}/32 in ${eni.networkAclId}`;
        if (c.dryRun) {
          await act(report, true, what, async () => undefined);
          continue;
        }
        const r = await ensureDeny(clients, eni.networkAclId, ip, egress);
        report.done.push(`${what} (rule ${r.ruleNumber}${r.created ? '' : ', already present'})`);
      }
    }
  }
  return report;
}
