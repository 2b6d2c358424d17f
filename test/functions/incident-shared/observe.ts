import { DescribeAutoScalingInstancesCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeNetworkAclsCommand,
} from '@aws-sdk/client-ec2';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import type { Account } from './fixture';

/** What containment changes about an instance, read back from the account. */
export async function observe(account: Account, instanceId: string) {
  const instance = (await account.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!.Instances![0]!;
  const acl = (await account.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [account.networkAclId] }))).NetworkAcls![0]!;
  const association = (
    await account.ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [instanceId] }] }))
  ).IamInstanceProfileAssociations?.find((a) => a.State === 'associated');
  const asg = (await account.autoscaling.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [instanceId] }))).AutoScalingInstances?.[0];
  const health = await account.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: account.targetGroupArn }));
  const attribute = async (name: 'disableApiTermination' | 'instanceInitiatedShutdownBehavior') =>
    account.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: name }));
  return {
    groups: Object.fromEntries((instance.NetworkInterfaces ?? []).map((e) => [e.NetworkInterfaceId!, (e.Groups ?? []).map((g) => g.GroupId!).sort()])),
    ips: (instance.NetworkInterfaces ?? []).flatMap((e) => (e.PrivateIpAddresses ?? []).map((p) => p.PrivateIpAddress!)).sort(),
    aclEntries: (acl.Entries ?? [])
      .map((e) => `${e.Egress ? 'out' : 'in'} ${e.RuleNumber} ${e.RuleAction} ${e.CidrBlock} ${e.Protocol}`)
      .sort(),
    profile: association?.IamInstanceProfile?.Arn,
    lifecycle: asg?.LifecycleState,
    inTargetGroup: (health.TargetHealthDescriptions ?? []).some((t) => t.Target?.Id === instanceId),
    terminationProtection: (await attribute('disableApiTermination')).DisableApiTermination?.Value,
    shutdown: (await attribute('instanceInitiatedShutdownBehavior')).InstanceInitiatedShutdownBehavior?.Value,
    deleteOnTermination: Object.fromEntries((instance.BlockDeviceMappings ?? []).map((b) => [b.DeviceName!, b.Ebs?.DeleteOnTermination])),
    rolePolicies: (await account.iam.send(new ListRolePoliciesCommand({ RoleName: account.roleName }))).PolicyNames ?? [],
    incidentTags: Object.fromEntries((instance.Tags ?? []).filter((t) => t.Key!.startsWith('incident:')).map((t) => [t.Key!, t.Value!])),
  };
}

type Middlewared = { middlewareStack: { add: (mw: unknown, options: { step: 'initialize'; name?: string }) => void } };

/** Counts every API call by command name, through SDK middleware on each client. */
export function countCalls(clients: object): Map<string, number> {
  const counts = new Map<string, number>();
  for (const client of Object.values(clients as Record<string, unknown>)) {
    (client as Middlewared).middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName: string }) => async (args: unknown) => {
        counts.set(context.commandName, (counts.get(context.commandName) ?? 0) + 1);
        return next(args);
      },
      { step: 'initialize' },
    );
  }
  return counts;
}

/** Every call's command name and input, in order (for checks on what was changed and how). */
export function recordCalls(clients: object): { command: string; input: Record<string, unknown> }[] {
  const calls: { command: string; input: Record<string, unknown> }[] = [];
  for (const client of Object.values(clients as Record<string, unknown>)) {
    (client as Middlewared).middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName: string }) => async (args: unknown) => {
        calls.push({ command: context.commandName.replace(/Command$/, ''), input: (args as { input: Record<string, unknown> }).input });
        return next(args);
      },
      { step: 'initialize' },
    );
  }
  return calls;
}

/** An error shaped like the SDK's for a throttled or failed call. */
export function awsError(name: string, status: number): Error {
  const error = new Error(`${name} injected by the test`) as Error & { $metadata: { httpStatusCode: number }; $fault: string };
  error.name = name;
  error.$metadata = { httpStatusCode: status };
  error.$fault = status >= 500 ? 'server' : 'client';
  return error;
}

/**
 * Fails calls through SDK middleware: `decide(commandName, attempt)` returns
 * an error to throw instead of sending, or undefined to let the call through.
 * Returns the calls it failed.
 */
export function injectFailures(clients: object, decide: (command: string, attempt: number) => Error | undefined): string[] {
  const seen = new Map<string, number>();
  const failed: string[] = [];
  for (const client of Object.values(clients as Record<string, unknown>)) {
    (client as Middlewared).middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName: string }) => async (args: unknown) => {
        const attempt = (seen.get(context.commandName) ?? 0) + 1;
        seen.set(context.commandName, attempt);
        const error = decide(context.commandName, attempt);
        if (error) {
          failed.push(context.commandName);
          throw error;
        }
        return next(args);
      },
      { step: 'initialize' },
    );
  }
  return failed;
}
