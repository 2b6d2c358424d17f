import { BatchGetAccountStatusCommand, DisableCommand, EnableCommand, Inspector2Client, type Status } from '@aws-sdk/client-inspector2';
import { Logger } from '@aws-lambda-powertools/logger';
import type { CdkCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createOnEvent } from '../../../functions/inspector-enablement/on-event';
import { ACCOUNT, REQUEST, status } from './fixtures';

const inspector = mockClient(Inspector2Client);
const logger = new Logger({ logLevel: 'SILENT' });
const onEvent = createOnEvent(new Inspector2Client({ region: 'eu-west-1' }), logger);

const common = REQUEST;
const props = (extra: Record<string, unknown> = {}) => ({ ServiceToken: common.ServiceToken, AccountId: ACCOUNT, ...extra });

const create = (extra?: Record<string, unknown>): CdkCustomResourceEvent => ({
  ...common,
  RequestType: 'Create',
  ResourceProperties: props(extra),
});
const update = (physicalId: string, extra?: Record<string, unknown>, old?: Record<string, unknown>): CdkCustomResourceEvent => ({
  ...common,
  RequestType: 'Update',
  RequestId: 'request-2',
  PhysicalResourceId: physicalId,
  ResourceProperties: props(extra),
  OldResourceProperties: props(old),
});
const remove = (physicalId: string, extra?: Record<string, unknown>): CdkCustomResourceEvent => ({
  ...common,
  RequestType: 'Delete',
  PhysicalResourceId: physicalId,
  ResourceProperties: props(extra),
});

const enableCalls = () => inspector.commandCalls(EnableCommand).map((call) => call.args[0].input);
const disableCalls = () => inspector.commandCalls(DisableCommand).map((call) => call.args[0].input);

beforeEach(() => {
  inspector.reset();
  inspector.on(EnableCommand).resolves({ accounts: [], failedAccounts: [] });
  inspector.on(DisableCommand).resolves({ accounts: [], failedAccounts: [] });
  jest.restoreAllMocks();
});

describe('Create', () => {
  it('sends no Enable when every requested type is already ENABLED, and claims none of them', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLED', ecr: 'ENABLED' }));

    const result = await onEvent(create({ ResourceTypes: ['EC2', 'ECR'] }));

    expect(enableCalls()).toEqual([]);
    expect(inspector.commandCalls(BatchGetAccountStatusCommand)[0].args[0].input).toEqual({ accountIds: [ACCOUNT] });
    expect(result).toMatchObject({
      PhysicalResourceId: `inspector2:${ACCOUNT}:enabled-before=EC2,ECR`,
      Data: { EnabledByStack: '' },
      EnableSentFor: '',
    });
  });

  it('treats ENABLING as on: someone already asked for it', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLING' }, 'ENABLING'));

    const result = await onEvent(create());

    expect(enableCalls()).toEqual([]);
    expect(result.Data).toEqual({ EnabledByStack: '' });
  });

  it('enables EC2 by default in an account where Inspector was never activated', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({}, 'DISABLED'));

    const result = await onEvent(create());

    expect(enableCalls()).toEqual([{ accountIds: [ACCOUNT], resourceTypes: ['EC2'], clientToken: 'request-1' }]);
    expect(result).toMatchObject({
      PhysicalResourceId: `inspector2:${ACCOUNT}:enabled-before=none`,
      Data: { EnabledByStack: 'EC2' },
      EnableSentFor: 'EC2',
    });
  });

  it('enables only the requested types that are not on yet', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLED', lambda: 'DISABLED' }));

    const result = await onEvent(create({ ResourceTypes: ['LAMBDA', 'EC2', 'ECR'] }));

    expect(enableCalls()).toEqual([{ accountIds: [ACCOUNT], resourceTypes: ['ECR', 'LAMBDA'], clientToken: 'request-1' }]);
    expect(result).toMatchObject({
      PhysicalResourceId: `inspector2:${ACCOUNT}:enabled-before=EC2`,
      Data: { EnabledByStack: 'ECR,LAMBDA' },
      EnableSentFor: 'ECR,LAMBDA',
    });
  });

  it('records types that are on but not requested in the baseline, so a later Update cannot claim them', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ecr: 'ENABLED' }));

    const result = await onEvent(create());

    expect(result.PhysicalResourceId).toBe(`inspector2:${ACCOUNT}:enabled-before=ECR`);
  });

  it.each<Status>(['SUSPENDED', 'SUSPENDING', 'DISABLING'])('throws and enables nothing when the account is %s', async (accountStatus) => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({}, accountStatus));

    await expect(onEvent(create())).rejects.toThrow(`Amazon Inspector is ${accountStatus} in account ${ACCOUNT}`);
    expect(enableCalls()).toEqual([]);
  });

  it('throws with the reason when the account comes back under failedAccounts', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves({
      accounts: [],
      failedAccounts: [{ accountId: ACCOUNT, errorCode: 'ACCESS_DENIED', errorMessage: 'not authorized' }],
    });

    await expect(onEvent(create())).rejects.toThrow(`${ACCOUNT} (ACCESS_DENIED: not authorized)`);
    expect(enableCalls()).toEqual([]);
  });

  it('throws when the status has no entry for the account', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({}, 'DISABLED', '999999999999'));

    await expect(onEvent(create())).rejects.toThrow(`returned no status for account ${ACCOUNT}`);
    expect(enableCalls()).toEqual([]);
  });

  it('throws when Enable reports the account as failed', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({}, 'DISABLED'));
    inspector.on(EnableCommand).resolves({
      accounts: [],
      failedAccounts: [{ accountId: ACCOUNT, errorCode: 'BLOCKED_BY_ORGANIZATION_POLICY', errorMessage: 'denied by SCP' }],
    });

    await expect(onEvent(create())).rejects.toThrow(/Enable \(EC2\) failed for 111122223333 \(BLOCKED_BY_ORGANIZATION_POLICY: denied by SCP\)/);
  });

  it('throws rather than enable a type that is still DISABLING', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ec2: 'DISABLING' }));

    await expect(onEvent(create())).rejects.toThrow('EC2 scanning is DISABLING');
    expect(enableCalls()).toEqual([]);
  });

  it('validates properties before calling Inspector', async () => {
    await expect(onEvent(create({ ResourceTypes: ['EC2', 'S3'] }))).rejects.toThrow(/ResourceTypes contains "S3"/);
    expect(inspector.calls()).toHaveLength(0);
  });
});

describe('Update', () => {
  const createdWithNothingOn = `inspector2:${ACCOUNT}:enabled-before=none`;

  it('enables an added type, keeps the physical id and counts the type as enabled by the stack', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLED' }));

    const result = await onEvent(update(createdWithNothingOn, { ResourceTypes: ['EC2', 'ECR'] }));

    expect(enableCalls()).toEqual([{ accountIds: [ACCOUNT], resourceTypes: ['ECR'], clientToken: 'request-2' }]);
    expect(result).toMatchObject({
      PhysicalResourceId: createdWithNothingOn,
      Data: { EnabledByStack: 'EC2,ECR' },
      EnableSentFor: 'ECR',
    });
  });

  it('sends no Enable when everything is already ENABLED (a repeated deployment)', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLED', ecr: 'ENABLED' }));

    const result = await onEvent(update(createdWithNothingOn, { ResourceTypes: ['EC2', 'ECR'] }, { ResourceTypes: ['EC2', 'ECR'] }));

    expect(enableCalls()).toEqual([]);
    expect(result).toMatchObject({ PhysicalResourceId: createdWithNothingOn, Data: { EnabledByStack: 'EC2,ECR' } });
  });

  it('does not claim an added type that was on before the resource was created', async () => {
    const physicalId = `inspector2:${ACCOUNT}:enabled-before=ECR`;
    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLED', ecr: 'ENABLED' }));

    const result = await onEvent(update(physicalId, { ResourceTypes: ['EC2', 'ECR'] }));

    expect(enableCalls()).toEqual([]);
    expect(result).toMatchObject({ PhysicalResourceId: physicalId, Data: { EnabledByStack: 'EC2' } });
  });

  it('re-enables a baseline type someone turned off, still without claiming it', async () => {
    const physicalId = `inspector2:${ACCOUNT}:enabled-before=EC2`;
    inspector.on(BatchGetAccountStatusCommand).resolves(status({}));
    const warn = jest.spyOn(logger, 'warn');

    const result = await onEvent(update(physicalId));

    expect(enableCalls()).toEqual([{ accountIds: [ACCOUNT], resourceTypes: ['EC2'], clientToken: 'request-2' }]);
    expect(result.Data).toEqual({ EnabledByStack: '' });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('not counted as enabled by the stack'), { type: 'EC2' });
  });

  it('warns when an added type is already on although it was off at Create (ownership cannot be told apart)', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLED', ecr: 'ENABLED' }));
    const warn = jest.spyOn(logger, 'warn');

    const result = await onEvent(update(createdWithNothingOn, { ResourceTypes: ['EC2', 'ECR'] }));

    expect(enableCalls()).toEqual([]);
    expect(result.Data).toEqual({ EnabledByStack: 'EC2,ECR' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('counted as enabled by the stack'), { type: 'ECR' });
  });

  it('takes a fresh baseline and a new physical id when AccountId changes (a replacement)', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLED' }, 'ENABLED', '444455556666'));

    const result = await onEvent(update(createdWithNothingOn, { AccountId: '444455556666' }));

    expect(enableCalls()).toEqual([]);
    expect(result).toMatchObject({
      PhysicalResourceId: 'inspector2:444455556666:enabled-before=EC2',
      Data: { EnabledByStack: '' },
    });
  });

  it('refuses a physical id it did not write', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({}));

    await expect(onEvent(update('some-other-id'))).rejects.toThrow('Physical resource id "some-other-id" was not written by this handler');
    expect(enableCalls()).toEqual([]);
  });
});

describe('Delete', () => {
  it('by default makes no API call and logs that Inspector stays on', async () => {
    const info = jest.spyOn(logger, 'info');

    const result = await onEvent(remove(`inspector2:${ACCOUNT}:enabled-before=none`, { ResourceTypes: ['EC2', 'ECR'] }));

    expect(inspector.calls()).toHaveLength(0);
    expect(result).toEqual({ PhysicalResourceId: `inspector2:${ACCOUNT}:enabled-before=none`, DisableSentFor: '' });
    expect(info).toHaveBeenCalledWith(expect.stringContaining('Amazon Inspector stays on'), expect.anything());
  });

  it('also makes no call with DisableOnDelete "false" given explicitly', async () => {
    await onEvent(remove(`inspector2:${ACCOUNT}:enabled-before=none`, { DisableOnDelete: 'false' }));

    expect(inspector.calls()).toHaveLength(0);
  });

  it('with DisableOnDelete disables only the types this resource enabled', async () => {
    const physicalId = `inspector2:${ACCOUNT}:enabled-before=EC2,LAMBDA`;
    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLED', ecr: 'ENABLED', lambda: 'ENABLED', lambdaCode: 'ENABLED' }));

    const result = await onEvent(
      remove(physicalId, { ResourceTypes: ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE'], DisableOnDelete: 'true' }),
    );

    expect(disableCalls()).toEqual([{ accountIds: [ACCOUNT], resourceTypes: ['ECR', 'LAMBDA_CODE'] }]);
    expect(result).toEqual({ PhysicalResourceId: physicalId, DisableSentFor: 'ECR,LAMBDA_CODE' });
  });

  it('with DisableOnDelete makes no call when every requested type was on before the resource', async () => {
    await onEvent(remove(`inspector2:${ACCOUNT}:enabled-before=EC2,ECR`, { DisableOnDelete: 'true' }));

    expect(inspector.calls()).toHaveLength(0);
  });

  it('with DisableOnDelete skips types that are already off', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLED' }));

    const result = await onEvent(
      remove(`inspector2:${ACCOUNT}:enabled-before=none`, { ResourceTypes: ['EC2', 'ECR'], DisableOnDelete: 'true' }),
    );

    expect(disableCalls()).toEqual([{ accountIds: [ACCOUNT], resourceTypes: ['EC2'] }]);
    expect(result.DisableSentFor).toBe('EC2');
  });

  it('keeps LAMBDA on when Lambda code scanning, which it did not enable, depends on it', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ecr: 'ENABLED', lambda: 'ENABLED', lambdaCode: 'ENABLED' }));

    await onEvent(remove(`inspector2:${ACCOUNT}:enabled-before=none`, { ResourceTypes: ['ECR', 'LAMBDA'], DisableOnDelete: 'true' }));

    expect(disableCalls()).toEqual([{ accountIds: [ACCOUNT], resourceTypes: ['ECR'] }]);
  });

  it('throws when Disable reports the account as failed', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLED' }));
    inspector.on(DisableCommand).resolves({
      accounts: [],
      failedAccounts: [{ accountId: ACCOUNT, errorCode: 'ACCESS_DENIED', errorMessage: 'no inspector2:Disable' }],
    });

    await expect(onEvent(remove(`inspector2:${ACCOUNT}:enabled-before=none`, { DisableOnDelete: 'true' }))).rejects.toThrow(
      'Disable (EC2) failed for 111122223333 (ACCESS_DENIED: no inspector2:Disable)',
    );
  });

  it('rejects an invalid DisableOnDelete instead of guessing', async () => {
    await expect(onEvent(remove(`inspector2:${ACCOUNT}:enabled-before=none`, { DisableOnDelete: 'yes' }))).rejects.toThrow(
      /DisableOnDelete must be "true" or "false"/,
    );
    expect(inspector.calls()).toHaveLength(0);
  });
});

describe('lifecycle', () => {
  it('Create, Update adding a type, Delete: disables exactly what the stack turned on', async () => {
    // EC2 is on before the stack; ECR and LAMBDA are off.
    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLED' }));
    const created = await onEvent(create({ ResourceTypes: ['EC2', 'LAMBDA'], DisableOnDelete: 'true' }));
    expect(enableCalls()).toEqual([expect.objectContaining({ resourceTypes: ['LAMBDA'] })]);

    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLED', lambda: 'ENABLED' }));
    const updated = await onEvent(
      update(created.PhysicalResourceId, { ResourceTypes: ['EC2', 'ECR', 'LAMBDA'], DisableOnDelete: 'true' }, { ResourceTypes: ['EC2', 'LAMBDA'], DisableOnDelete: 'true' }),
    );
    expect(enableCalls()[1]).toEqual(expect.objectContaining({ resourceTypes: ['ECR'] }));
    expect(updated.PhysicalResourceId).toBe(created.PhysicalResourceId);
    expect(updated.Data).toEqual({ EnabledByStack: 'ECR,LAMBDA' });

    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLED', ecr: 'ENABLED', lambda: 'ENABLED' }));
    await onEvent(remove(updated.PhysicalResourceId, { ResourceTypes: ['EC2', 'ECR', 'LAMBDA'], DisableOnDelete: 'true' }));
    expect(disableCalls()).toEqual([{ accountIds: [ACCOUNT], resourceTypes: ['ECR', 'LAMBDA'] }]);
  });
});
