import { CreateNetworkAclEntryCommand, DescribeImagesCommand, DescribeNetworkAclsCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CONTAINMENT_RULE_NUMBERS } from '../../../functions/incident-shared/acl-range';
import { ensureDeny, naclContain } from '../../../functions/incident-nacl-contain/step';
import { openCase } from '../../../functions/incident-open-case/step';
import { CONTAINMENT_RULE_NUMBERS as NETWORK_TIER_RESERVED } from '../../../src/constructs/network/tier-network-acls';
import { resetMoto } from '../../helpers/moto';
import { buildAccount, compromisedInstance, MOTO_IMAGE, prepareInstance, type Account } from '../incident-shared/fixture';

async function denyEntries(account: Account) {
  const acl = (await account.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [account.networkAclId] }))).NetworkAcls![0]!;
  return (acl.Entries ?? []).filter((e) => e.RuleAction === 'deny' && e.RuleNumber! <= CONTAINMENT_RULE_NUMBERS.last);
}

describe('network ACL containment', () => {
  let account: Account;
  beforeAll(async () => {
    account = await buildAccount(await resetMoto());
  });

  test('the handlers and the network tier reserve the same rule numbers', () => {
    expect(CONTAINMENT_RULE_NUMBERS).toEqual(NETWORK_TIER_RESERVED);
  });

  test('two cases at once on the same ACL: every address denied both ways, no rule number shared', async () => {
    const first = await compromisedInstance(account);
    const image = (await account.ec2.send(new DescribeImagesCommand({ ImageIds: [MOTO_IMAGE] }))).Images![0]!.ImageId!;
    const run = await account.ec2.send(new RunInstancesCommand({ ImageId: image, MinCount: 1, MaxCount: 1, SubnetId: account.subnetIds[0], SecurityGroupIds: [account.appGroupId] }));
    const second = await prepareInstance(account, run.Instances![0]!.InstanceId!);
    const refs = await Promise.all([first, second].map((id) => openCase(account.clients, account.settings, { instanceId: id, executionName: 'together' })));
    const reports = await Promise.all(refs.map((r) => ('prior' in r ? naclContain(account.clients, r) : Promise.reject(new Error('no case')))));
    expect(reports.flatMap((r) => r.notDone)).toEqual([]);

    const entries = await denyEntries(account);
    const ips = refs.flatMap((r) => ('prior' in r ? r.prior.networkInterfaces.flatMap((e) => e.privateIps) : []));
    expect(ips).toHaveLength(6);
    for (const egress of [false, true]) {
      const side = entries.filter((e) => !!e.Egress === egress);
      expect(side.map((e) => e.CidrBlock).sort()).toEqual(ips.map((ip) => `${ip}/32`).sort());
      expect(new Set(side.map((e) => e.RuleNumber)).size).toBe(side.length);
    }
  });

  test('a number taken between reading the ACL and writing the entry (NetworkAclEntryAlreadyExists) moves to the next free one', async () => {
    const fresh = await buildAccount(await resetMoto());
    let raced = false;
    const send = fresh.clients.ec2.send.bind(fresh.clients.ec2);
    // Another case writes rule 1 in the instant after this one read the ACL.
    fresh.clients.ec2.send = (async (command: unknown) => {
      if (command instanceof CreateNetworkAclEntryCommand && !raced) {
        raced = true;
        await send(new CreateNetworkAclEntryCommand({ ...command.input, CidrBlock: '10.99.0.1/32' }));
      }
      return send(command as never);
    }) as never;
    const result = await ensureDeny(fresh.clients, fresh.networkAclId, '10.99.0.2', false);
    expect(raced).toBe(true);
    expect(result).toEqual({ ruleNumber: 2, created: true });
    expect((await denyEntries(fresh)).map((e) => `${e.RuleNumber} ${e.CidrBlock}`).sort()).toEqual(['1 10.99.0.1/32', '2 10.99.0.2/32']);
  });

  test('an address already denied is kept, not denied twice', async () => {
    const fresh = await buildAccount(await resetMoto());
    await ensureDeny(fresh.clients, fresh.networkAclId, '10.99.0.3', true);
    expect(await ensureDeny(fresh.clients, fresh.networkAclId, '10.99.0.3', true)).toEqual({ ruleNumber: 1, created: false });
    expect(await denyEntries(fresh)).toHaveLength(1);
  });

  test('a full reserved range refuses with a clear error instead of writing above it', async () => {
    const fresh = await buildAccount(await resetMoto());
    for (let n = CONTAINMENT_RULE_NUMBERS.first; n <= CONTAINMENT_RULE_NUMBERS.last; n++) {
      await fresh.ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: fresh.networkAclId, RuleNumber: n, Egress: false, RuleAction: 'deny', Protocol: '-1', CidrBlock: `10.98.0.${n}/32` }));
    }
    await expect(ensureDeny(fresh.clients, fresh.networkAclId, '10.99.0.4', false)).rejects.toThrow(/no free rule number left in 1-99/);
  });
});
