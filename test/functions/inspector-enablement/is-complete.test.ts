import { BatchGetAccountStatusCommand, Inspector2Client } from '@aws-sdk/client-inspector2';
import { Logger } from '@aws-lambda-powertools/logger';
import type { CdkCustomResourceIsCompleteEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createIsComplete } from '../../../functions/inspector-enablement/is-complete';
import { ACCOUNT, REQUEST, status } from './fixtures';

const PHYSICAL_ID = `inspector2:${ACCOUNT}:enabled-before=none`;
const inspector = mockClient(Inspector2Client);
const isComplete = createIsComplete(new Inspector2Client({ region: 'eu-west-1' }), new Logger({ logLevel: 'SILENT' }));

const common = { ...REQUEST, PhysicalResourceId: PHYSICAL_ID };

/** What the framework sends: the request merged with onEvent's response. */
function afterCreate(resourceTypes: string[], enableSentFor: string | undefined): CdkCustomResourceIsCompleteEvent {
  return {
    ...common,
    RequestType: 'Create',
    ResourceProperties: { ServiceToken: common.ServiceToken, AccountId: ACCOUNT, ResourceTypes: resourceTypes },
    Data: { EnabledByStack: enableSentFor ?? '' },
    ...(enableSentFor === undefined ? {} : { EnableSentFor: enableSentFor }),
  };
}

function afterDelete(disableSentFor: string): CdkCustomResourceIsCompleteEvent {
  return {
    ...common,
    RequestType: 'Delete',
    ResourceProperties: { ServiceToken: common.ServiceToken, AccountId: ACCOUNT, DisableOnDelete: 'true' },
    DisableSentFor: disableSentFor,
  };
}

beforeEach(() => inspector.reset());

describe('after Create/Update', () => {
  it('is complete when every requested type is ENABLED', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLED', ecr: 'ENABLED' }));

    await expect(isComplete(afterCreate(['EC2', 'ECR'], 'ECR'))).resolves.toEqual({ IsComplete: true });
    expect(inspector.commandCalls(BatchGetAccountStatusCommand)[0].args[0].input).toEqual({ accountIds: [ACCOUNT] });
  });

  it('waits while a type is ENABLING, then completes once it is ENABLED', async () => {
    inspector
      .on(BatchGetAccountStatusCommand)
      .resolvesOnce(status({ ec2: 'ENABLED', ecr: 'ENABLING' }, 'ENABLING'))
      .resolvesOnce(status({ ec2: 'ENABLED', ecr: 'ENABLED' }));
    const event = afterCreate(['EC2', 'ECR'], 'ECR');

    await expect(isComplete(event)).resolves.toEqual({ IsComplete: false });
    await expect(isComplete(event)).resolves.toEqual({ IsComplete: true });
    expect(inspector.commandCalls(BatchGetAccountStatusCommand)).toHaveLength(2);
  });

  it('waits while a type it did not ask for is still ENABLING elsewhere', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLING' }));

    await expect(isComplete(afterCreate(['EC2'], ''))).resolves.toEqual({ IsComplete: false });
  });

  it('throws with the API reason when a type it enabled falls back to DISABLED', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(
      status({ ec2: 'ENABLED', ecr: { status: 'DISABLED', errorCode: 'ACCESS_DENIED', errorMessage: 'missing iam:CreateServiceLinkedRole' } }),
    );

    await expect(isComplete(afterCreate(['EC2', 'ECR'], 'ECR'))).rejects.toThrow(
      `Enabling Amazon Inspector ECR scanning in account ${ACCOUNT} failed: it is DISABLED (ACCESS_DENIED: missing iam:CreateServiceLinkedRole)`,
    );
  });

  it('throws, saying no reason was given, when the API gives none', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({}));

    await expect(isComplete(afterCreate(['EC2'], 'EC2'))).rejects.toThrow('it is DISABLED (Inspector gave no reason)');
  });

  it('throws when a type that was already on has been turned off meanwhile', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({}));

    await expect(isComplete(afterCreate(['EC2'], ''))).rejects.toThrow('turned off outside this stack');
  });

  it('throws when the account is suspended while waiting', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLING' }, 'SUSPENDED'));

    await expect(isComplete(afterCreate(['EC2'], 'EC2'))).rejects.toThrow(`Amazon Inspector is SUSPENDED in account ${ACCOUNT}`);
  });

  it('throws when the account comes back under failedAccounts', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves({
      accounts: [],
      failedAccounts: [{ accountId: ACCOUNT, errorCode: 'INTERNAL_ERROR', errorMessage: 'try later' }],
    });

    await expect(isComplete(afterCreate(['EC2'], 'EC2'))).rejects.toThrow('(INTERNAL_ERROR: try later)');
  });

  it('throws when onEvent did not pass EnableSentFor along', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLED' }));

    await expect(isComplete(afterCreate(['EC2'], undefined))).rejects.toThrow('isComplete expected "EnableSentFor" from onEvent');
  });
});

describe('after Delete', () => {
  it('is complete at once, with no API call, when nothing was disabled', async () => {
    await expect(isComplete(afterDelete(''))).resolves.toEqual({ IsComplete: true });
    expect(inspector.calls()).toHaveLength(0);
  });

  it('waits while a disabled type is DISABLING, then completes once it is DISABLED', async () => {
    inspector
      .on(BatchGetAccountStatusCommand)
      .resolvesOnce(status({ ec2: 'ENABLED', ecr: 'DISABLING' }))
      .resolvesOnce(status({ ec2: 'ENABLED', ecr: 'DISABLED' }));
    const event = afterDelete('ECR');

    await expect(isComplete(event)).resolves.toEqual({ IsComplete: false });
    await expect(isComplete(event)).resolves.toEqual({ IsComplete: true });
  });
});
