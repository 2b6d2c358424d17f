import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import { GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { type PublishCommand } from '@aws-sdk/client-sns';
import type { Summary } from '../../../functions/incident-notify/step';
import { TAG } from '../../../functions/incident-shared/case';
import { build } from '../../constructs/response/fixture';
import { resetMoto, type Moto } from '../../helpers/moto';
import { buildAccount, compromisedInstance, type Account } from '../incident-shared/fixture';
import { definitionOf, runLocally } from '../incident-shared/local-workflow';
import { planLines } from '../../../tools/incident/plan';
import { countCalls, observe, recordCalls } from '../incident-shared/observe';

/** Publishes seen by the topic, read from the SDK call (moto keeps no readable SNS history). */
function capturePublishes(account: Account): Summary[] {
  const seen: Summary[] = [];
  account.clients.sns.send = ((original) => async (command: PublishCommand) => {
    seen.push(JSON.parse(command.input.Message!) as Summary);
    return original(command);
  })(account.clients.sns.send.bind(account.clients.sns)) as never;
  return seen;
}

describe('isolation then release, the synthesized definitions run locally against moto', () => {
  const { template } = build({}, { checks: false });
  const isolation = definitionOf(template, 'WorkflowsIsolation');
  const release = definitionOf(template, 'WorkflowsRelease');
  let server: Moto;
  let account: Account;
  let instanceId: string;
  let before: Awaited<ReturnType<typeof observe>>;
  let caseId: string;
  let calls: Map<string, number>;
  let published: Summary[];

  beforeAll(async () => {
    server = await resetMoto();
    account = await buildAccount(server);
    instanceId = await compromisedInstance(account);
    before = await observe(account, instanceId);
    calls = countCalls(account.clients);
    published = capturePublishes(account);
  });

  test('the definitions hold every step as a Task of the step function, and the untrack pause as a Wait state', () => {
    expect(Object.keys(isolation.States)).toEqual(
      expect.arrayContaining(['OpenCase', 'Freeze', 'Detach', 'DenyInNetworkAcls', 'RevokeCredentials', 'UntrackGroup', 'WaitUntilUntracked', 'IsolationGroup', 'CollectEvidence', 'NotifyContained', 'ContainAfterFailure', 'NotifyFailure']),
    );
    expect(isolation.States.WaitUntilUntracked).toMatchObject({ Type: 'Wait', Seconds: 10 });
  });

  test('isolation contains the instance in every layer', async () => {
    const run = await runLocally(isolation, { instanceId, finding: { type: 'Backdoor:EC2/C&CActivity.B', severity: 8 } }, { clients: account.clients, settings: account.settings, executionName: 'e2e' });
    expect({ error: run.error, summary: published.at(-1)?.error }).toEqual({ error: undefined, summary: undefined });
    caseId = `${instanceId}-e2e`;
    const after = await observe(account, instanceId);

    // Network: both interfaces in the isolation group only; deny entries for all three addresses, both ways, below 100.
    expect(Object.values(after.groups)).toEqual([[account.settings.isolationGroupId], [account.settings.isolationGroupId]]);
    expect(after.ips).toHaveLength(3);
    for (const ip of after.ips) {
      for (const direction of ['in', 'out']) {
        const entry = after.aclEntries.find((e) => e.startsWith(`${direction} `) && e.includes(` deny ${ip}/32 -1`));
        expect(entry).toBeDefined();
        expect(Number(entry!.split(' ')[1])).toBeLessThan(100);
      }
    }
    // Out of service, with a replacement launched; out of the target group.
    expect(after.lifecycle).toBe('Standby');
    const group = (await account.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [account.groupName] }))).AutoScalingGroups![0]!;
    expect(group.DesiredCapacity).toBe(1);
    expect(group.Instances!.filter((i) => i.InstanceId !== instanceId && i.LifecycleState === 'InService')).toHaveLength(1);
    expect(after.inTargetGroup).toBe(false);
    // Frozen.
    expect(after.terminationProtection).toBe(true);
    expect(after.shutdown).toBe('stop');
    expect(Object.values(after.deleteOnTermination).every((v) => v === false)).toBe(true);
    // Credentials: deny on the role for this instance only; forensic profile.
    expect(after.profile).toBe(account.settings.forensicProfileArn);
    const policy = await account.iam.send(new GetRolePolicyCommand({ RoleName: account.roleName, PolicyName: `incident-deny-${instanceId}` }));
    const document = JSON.parse(decodeURIComponent(policy.PolicyDocument!)) as { Statement: { Condition: unknown }[] };
    expect(document.Statement[0]!.Condition).toEqual({ ArnEquals: { 'ec2:SourceInstanceARN': `arn:aws:ec2:eu-west-1:123456789012:instance/${instanceId}` } });
    // Evidence: a snapshot per volume, tagged with the case.
    const snapshots = await account.ec2.send(new DescribeSnapshotsCommand({ Filters: [{ Name: `tag:${TAG.case}`, Values: [caseId] }] }));
    expect(snapshots.Snapshots).toHaveLength(Object.keys(before.deleteOnTermination).length);
    expect(after.incidentTags).toMatchObject({ [TAG.case]: caseId, [TAG.status]: 'quarantined', [TAG.finding]: 'Backdoor:EC2/C&CActivity.B' });
    // Notification: contained, nothing skipped; what moto cannot give (the screenshot) is listed, not dropped.
    const summary = published.at(-1)!;
    expect(summary.outcome).toBe('contained');
    expect(summary.notReached).toEqual(['captureMemory']);
    expect(summary.notDone.join('\n')).toMatch(/console screenshot/);
  });

  test('API calls per case are counted (closing-note figure)', () => {
    const total = [...calls.values()].reduce((a, b) => a + b, 0);
    // Printed for the notes; bounded so a change that multiplies calls is noticed.
    console.log(`isolation API calls: ${total} ${JSON.stringify(Object.fromEntries([...calls.entries()].sort()))}`);
    expect(total).toBeGreaterThan(20);
    expect(total).toBeLessThan(100);
    calls.clear();
  });

  test('release restores the prior state exactly', async () => {
    const run = await runLocally(release, { caseId }, { clients: account.clients, settings: account.settings, executionName: 'release' });
    expect(run.error).toBeUndefined();
    const after = await observe(account, instanceId);
    expect({ ...after, incidentTags: undefined }).toEqual({ ...before, incidentTags: undefined });
    expect(after.incidentTags).toEqual({ [TAG.releasedCase]: caseId });
    expect(published.at(-1)!.outcome).toBe('released');
    console.log(`release API calls: ${[...calls.values()].reduce((a, b) => a + b, 0)}`);
  });
});

describe('a dry run of the isolation (what the gameday command runs)', () => {
  const isolation = definitionOf(build({}, { checks: false }).template, 'WorkflowsIsolation');

  test('records the plan of every step and changes nothing', async () => {
    const account = await buildAccount(await resetMoto());
    const instanceId = await compromisedInstance(account);
    const before = await observe(account, instanceId);
    const calls = recordCalls(account.clients);
    const run = await runLocally(isolation, { instanceId, dryRun: true }, { clients: account.clients, settings: account.settings, executionName: 'gameday' });
    expect(run.error).toBeUndefined();
    expect(await observe(account, instanceId)).toEqual(before);
    // Only reads, the plan's summary in the evidence bucket (dry-runs/ prefix) and the notification.
    const writes = calls.filter((c) => !/^(Describe|Get|Head|List)/.test(c.command));
    expect(writes.map((c) => c.command).sort()).toEqual(['Publish', 'PutObject']);
    expect((writes.find((c) => c.command === 'PutObject')!.input.Key as string).startsWith('dry-runs/')).toBe(true);
    const lines = planLines(run.output);
    for (const expected of [/would deny inbound/, /would deny outbound/, /would .* to Standby/, /would inline deny/, /would instance profile .* swapped/, /would snapshot vol-/, /security groups .* -> \[/]) {
      expect(lines.join('\n')).toMatch(expected);
    }
  });
});
