import { type PublishCommand } from '@aws-sdk/client-sns';
import type { Summary } from '../../../functions/incident-notify/step';
import { build } from '../../constructs/response/fixture';
import { resetMoto } from '../../helpers/moto';
import { buildAccount, compromisedInstance, type Account } from '../incident-shared/fixture';
import { definitionOf, runLocally } from '../incident-shared/local-workflow';
import { awsError, injectFailures, observe, recordCalls } from '../incident-shared/observe';

/** Calls that would undo containment: none may happen during an isolation, whatever fails. */
const WEAKENING = ['DeleteNetworkAclEntry', 'DeleteRolePolicy', 'ExitStandby', 'AttachInstances', 'RegisterTargets', 'DisassociateIamInstanceProfile'];

/** The calls that change something during an isolation. */
const MUTATING = [
  'CreateTags',
  'PutObject',
  'ModifyInstanceAttribute',
  'EnterStandby',
  'DeregisterTargets',
  'CreateNetworkAclEntry',
  'PutRolePolicy',
  'ReplaceIamInstanceProfileAssociation',
  'ModifyNetworkInterfaceAttribute',
  'CreateSnapshot',
  'Publish',
];

function capturePublishes(account: Account): Summary[] {
  const seen: Summary[] = [];
  const original = account.clients.sns.send.bind(account.clients.sns);
  account.clients.sns.send = (async (command: PublishCommand) => {
    const result = await original(command);
    seen.push(JSON.parse(command.input.Message!) as Summary);
    return result;
  }) as never;
  return seen;
}

/** Checks that no call undid containment and no interface went back from the isolation group to anything else. */
function expectNeverWeakened(calls: { command: string; input: Record<string, unknown> }[], account: Account): void {
  expect(calls.filter((c) => WEAKENING.includes(c.command)).map((c) => c.command)).toEqual([]);
  const isolated = new Set<string>();
  for (const c of calls.filter((x) => x.command === 'ModifyNetworkInterfaceAttribute')) {
    const eni = c.input.NetworkInterfaceId as string;
    const groups = c.input.Groups as string[];
    expect([[account.settings.untrackGroupId], [account.settings.isolationGroupId]]).toContainEqual(groups);
    if (isolated.has(eni)) expect(groups).toEqual([account.settings.isolationGroupId]);
    if (groups[0] === account.settings.isolationGroupId) isolated.add(eni);
  }
}

async function expectFullyContained(account: Account, instanceId: string): Promise<void> {
  const after = await observe(account, instanceId);
  expect(Object.values(after.groups).every((g) => g.length === 1 && g[0] === account.settings.isolationGroupId)).toBe(true);
  for (const ip of after.ips) {
    expect(after.aclEntries.filter((e) => e.includes(` deny ${ip}/32 -1`))).toHaveLength(2);
  }
  expect(after.profile).toBe(account.settings.forensicProfileArn);
  expect(after.rolePolicies).toContain(`incident-deny-${instanceId}`);
  expect(after.lifecycle).toBe('Standby');
  expect(after.inTargetGroup).toBe(false);
  expect(after.terminationProtection).toBe(true);
}

describe('failure injection on the synthesized isolation definition', () => {
  const isolation = definitionOf(build({}, { checks: false }).template, 'WorkflowsIsolation');

  // One execution for all of them: no step makes more than two distinct changes, so each step's retriers (8 for
  // throttling, 2 for other errors) cover it, and the run proves the retries of every step at once.
  test('every state-changing call throttled once, then failing once with a server error: retried, nothing skipped, fully contained', async () => {
    const account = await buildAccount(await resetMoto());
    const instanceId = await compromisedInstance(account);
    const published = capturePublishes(account);
    const failed = injectFailures(account.clients, (name, attempt) => {
      const command = name.replace(/Command$/, '');
      if (!MUTATING.includes(command)) return undefined;
      if (attempt === 1) return awsError(command === 'PutObject' || command === 'Publish' ? 'SlowDown' : 'RequestLimitExceeded', 503);
      if (attempt === 2) return awsError('InternalError', 500);
      return undefined;
    });
    const calls = recordCalls(account.clients);
    const run = await runLocally(isolation, { instanceId }, { clients: account.clients, settings: account.settings, executionName: 'retry-all' });
    expect([...new Set(failed)].map((n) => n.replace(/Command$/, '')).sort()).toEqual([...MUTATING].sort());
    expect(failed).toHaveLength(MUTATING.length * 2);
    expect(run.error).toBeUndefined();
    await expectFullyContained(account, instanceId);
    expectNeverWeakened(calls, account);
    const summary = published.at(-1)!;
    expect(summary.outcome).toBe('contained');
    expect(summary.notReached).toEqual(['captureMemory']);
  });

  test.each([
    ['CreateTags', 'OpenCase'],
    ['EnterStandby', 'Detach'],
    ['CreateNetworkAclEntry', 'DenyInNetworkAcls'],
    ['PutRolePolicy', 'RevokeCredentials'],
    ['ModifyNetworkInterfaceAttribute', 'UntrackGroup'],
    ['CreateSnapshot', 'CollectEvidence'],
  ])('%s failing every time: the failure path contains what it can, notifies what was and was not done, and the execution fails', async (command) => {
    const account = await buildAccount(await resetMoto());
    const instanceId = await compromisedInstance(account);
    const published = capturePublishes(account);
    injectFailures(account.clients, (name) => (name === `${command}Command` ? awsError('UnauthorizedOperation', 403) : undefined));
    const calls = recordCalls(account.clients);
    const run = await runLocally(isolation, { instanceId }, { clients: account.clients, settings: account.settings, executionName: `fail-${command}` });
    expect(run.error?.message).toMatch(/A step failed/);
    expectNeverWeakened(calls, account);
    const summary = published.at(-1)!;
    expect(summary.outcome).toBe('failed');
    expect(summary.error).toMatch(/UnauthorizedOperation/);
    expect(summary.notReached.length).toBeGreaterThan(0);

    // Whatever failed, the failure path leaves both network layers in place unless the failing call is that layer's own.
    const after = await observe(account, instanceId);
    if (command !== 'CreateNetworkAclEntry') {
      for (const ip of after.ips) expect(after.aclEntries.filter((e) => e.includes(` deny ${ip}/32 -1`))).toHaveLength(2);
    } else {
      expect(summary.notDone.join('\n')).toMatch(/contain-after-failure: UnauthorizedOperation/);
    }
    if (command !== 'ModifyNetworkInterfaceAttribute') {
      expect(Object.values(after.groups).every((g) => g.length === 1 && g[0] === account.settings.isolationGroupId)).toBe(true);
    }
  });
});
