import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { STATE_MACHINE_SUFFIX } from '../../src/constructs/response/incident-workflows';
import { executionName, findStateMachine, parseArgs, start, SUFFIX } from '../../tools/incident/cli';
import { MOTO_ACCOUNT, resetMoto } from '../helpers/moto';

describe('isolate, release and gameday commands', () => {
  test('find the state machines by the names the construct gives them', () => {
    expect(SUFFIX).toEqual(STATE_MACHINE_SUFFIX);
  });

  test.each([
    [[], 'instance', /missing instance id; usage: u/],
    [['sg-123'], 'instance', /instance id must look like i-0123456789abcdef0, got sg-123/],
    [['i-0123456789abcdef0', 'i-0123456789abcdef1'], 'instance', /one instance id only/],
    [['i-0123456789abcdef0', '--force'], 'instance', /unknown option --force/],
    [['i-0123456789abcdef0'], 'case', /case id must look like i-0123456789abcdef0-<execution name>/],
    [['i-0123456789abcdef0', '--state-machine', 'nope'], 'instance', /--state-machine must be a Step Functions state machine ARN/],
  ] as [string[], 'instance' | 'case', RegExp][])('%j as %s id: a one-line error', (argv, kind, message) => {
    expect(() => parseArgs(argv, 'u', kind)).toThrow(message);
  });

  test('parse a dry run', () => {
    expect(parseArgs(['--dry-run', 'i-0123456789abcdef0'], 'u', 'instance')).toMatchObject({ target: 'i-0123456789abcdef0', dryRun: true });
  });

  test('execution names are valid and sortable by time', () => {
    expect(executionName('cli', new Date('2026-12-01T05:20:31.123Z'))).toBe('cli-20261201T052031Z');
  });

  test('find the one workflow in the account, or ask which stack when there are several, then start it', async () => {
    const sfn = new SFNClient((await resetMoto()).clientConfig('eu-west-1'));
    const create = (name: string) =>
      sfn.send(new CreateStateMachineCommand({ name, roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/sfn`, definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Succeed' } } }) }));
    await expect(findStateMachine(sfn, 'isolation', { target: 'x', dryRun: false, wait: false })).rejects.toThrow(/no state machine named \*-incident-isolation/);
    const dev = await create('dev-Response-incident-isolation');
    await create('dev-Response-incident-release');
    expect(await findStateMachine(sfn, 'isolation', { target: 'x', dryRun: false, wait: false })).toBe(dev.stateMachineArn);
    await create('prod-Response-incident-isolation');
    await expect(findStateMachine(sfn, 'isolation', { target: 'x', dryRun: false, wait: false })).rejects.toThrow(/several isolation workflows .*; pass --stack/);
    expect(await findStateMachine(sfn, 'isolation', { target: 'x', dryRun: false, wait: false, stack: 'dev-Response' })).toBe(dev.stateMachineArn);
    const execution = await start(sfn, dev.stateMachineArn!, 'cli-test', { instanceId: 'i-0123456789abcdef0', dryRun: true });
    expect(execution).toMatch(/:execution:dev-Response-incident-isolation:cli-test$/);
  });
});
