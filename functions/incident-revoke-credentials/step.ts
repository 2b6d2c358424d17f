import {
  AssociateIamInstanceProfileCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  ReplaceIamInstanceProfileAssociationCommand,
} from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { act, DENY_POLICY_PREFIX, newReport, type CaseRef, type StepReport } from '../incident-shared/case';
import type { IncidentClients, IncidentSettings } from '../incident-shared/clients';

/**
 * A deny on everything for requests signed with credentials delivered to this
 * instance, wherever they are used. `ec2:SourceInstanceARN` names the one
 * instance, so the other instances sharing the role keep working (a deny on
 * `aws:TokenIssueTime` would stop the whole fleet).
 */
export function denyPolicy(instanceArn: string): { Version: string; Statement: Record<string, unknown>[] } {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyCredentialsOfQuarantinedInstance',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { ArnEquals: { 'ec2:SourceInstanceARN': instanceArn } },
      },
    ],
  };
}

export function denyPolicyName(instanceId: string): string {
  return `${DENY_POLICY_PREFIX}${instanceId}`;
}

export function profileName(arn: string): string {
  return arn.split('/').pop()!;
}

/**
 * Stops the instance's credentials: the inline deny on every role of its
 * instance profile, then the profile swapped for the forensic one (Systems
 * Manager core only), so credentials it fetches from now on carry nothing else.
 */
export async function revokeCredentials(clients: IncidentClients, settings: IncidentSettings, c: CaseRef): Promise<StepReport> {
  const report = newReport('revoke-credentials');
  const id = c.instanceId;
  if (c.prior.instanceProfileArn && profileName(c.prior.instanceProfileArn) !== settings.forensicProfileName) {
    const profile = await clients.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: profileName(c.prior.instanceProfileArn) }));
    for (const role of profile.InstanceProfile?.Roles ?? []) {
      await act(report, c.dryRun, `inline deny ${denyPolicyName(id)} on role ${role.RoleName} for ec2:SourceInstanceARN ${c.instanceArn}`, () =>
        clients.iam.send(
          new PutRolePolicyCommand({ RoleName: role.RoleName!, PolicyName: denyPolicyName(id), PolicyDocument: JSON.stringify(denyPolicy(c.instanceArn)) }),
        ),
      );
    }
  } else if (!c.prior.instanceProfileArn) {
    report.done.push(`${id} had no instance profile: no role credentials to deny`);
  }
  const associations = await clients.ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [id] }] }));
  const current = associations.IamInstanceProfileAssociations?.find((a) => a.State === 'associated' || a.State === undefined);
  if (current?.IamInstanceProfile?.Arn && profileName(current.IamInstanceProfile.Arn) === settings.forensicProfileName) {
    report.done.push(`${id} already has the forensic instance profile`);
  } else if (current) {
    await act(report, c.dryRun, `instance profile of ${id} swapped for ${settings.forensicProfileName}`, () =>
      clients.ec2.send(
        new ReplaceIamInstanceProfileAssociationCommand({ AssociationId: current.AssociationId!, IamInstanceProfile: { Arn: settings.forensicProfileArn } }),
      ),
    );
  } else {
    await act(report, c.dryRun, `forensic instance profile ${settings.forensicProfileName} associated with ${id}`, () =>
      clients.ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Arn: settings.forensicProfileArn } })),
    );
  }
  return report;
}
