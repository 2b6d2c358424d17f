import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { createRotation, type RotationEvent, SIGNING_KEY_LENGTH } from '../../../functions/signing-key-rotation/rotate';
import { resetMoto } from '../../helpers/moto';

const log = { info: () => undefined } as unknown as Parameters<typeof createRotation>[1];
let client: SecretsManagerClient;
let rotate: ReturnType<typeof createRotation>;
const ORIGINAL = 'a'.repeat(SIGNING_KEY_LENGTH);

async function stagedVersion(arn: string, stage: string): Promise<string | undefined> {
  const described = await client.send(new DescribeSecretCommand({ SecretId: arn }));
  return Object.entries(described.VersionIdsToStages ?? {}).find(([, stages]) => stages.includes(stage))?.[0];
}

/** A secret with rotation on and a version staged AWSPENDING, as Secrets Manager leaves it before calling the function. */
async function secretPendingRotation(name: string): Promise<{ arn: string; token: string }> {
  const { ARN } = await client.send(new CreateSecretCommand({ Name: name, SecretString: ORIGINAL }));
  // moto has no function to invoke, so it answers with an error after turning rotation on and staging the new version.
  await client
    .send(new RotateSecretCommand({ SecretId: ARN, RotationLambdaARN: 'arn:aws:lambda:eu-west-1:123456789012:function:rotation', RotationRules: { AutomaticallyAfterDays: 30 }, RotateImmediately: false }))
    .catch(() => undefined);
  const token = await stagedVersion(ARN!, 'AWSPENDING');
  if (!token) throw new Error('moto staged no pending version');
  return { arn: ARN!, token };
}

const step = (arn: string, token: string, Step: RotationEvent['Step']): RotationEvent => ({ SecretId: arn, ClientRequestToken: token, Step });
const current = async (arn: string, stage = 'AWSCURRENT') => (await client.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: stage }))).SecretString;

beforeAll(async () => {
  const moto = await resetMoto();
  client = new SecretsManagerClient(moto.clientConfig());
  rotate = createRotation(client, log);
});

describe('signing key rotation against Secrets Manager (moto)', () => {
  test('testSecret and finishSecret make the pending version current and keep the old one as AWSPREVIOUS; repeating is harmless', async () => {
    const { arn, token } = await secretPendingRotation('rotates');
    const before = await stagedVersion(arn, 'AWSCURRENT');
    // moto copies the current value into the pending version, so createSecret finds it and keeps it.
    await rotate(step(arn, token, 'createSecret'));
    await rotate(step(arn, token, 'setSecret'));
    await rotate(step(arn, token, 'testSecret'));
    await rotate(step(arn, token, 'finishSecret'));
    expect(await stagedVersion(arn, 'AWSCURRENT')).toBe(token);
    expect(await stagedVersion(arn, 'AWSPREVIOUS')).toBe(before);
    await rotate(step(arn, token, 'finishSecret'));
    await rotate(step(arn, token, 'createSecret'));
    expect(await stagedVersion(arn, 'AWSCURRENT')).toBe(token);
  });

  test('testSecret refuses a pending value that is not a 64-character key', async () => {
    const { arn } = await secretPendingRotation('malformed');
    const token = '11111111-2222-3333-4444-555555555555';
    await client.send(new PutSecretValueCommand({ SecretId: arn, ClientRequestToken: token, SecretString: 'short', VersionStages: ['AWSPENDING'] }));
    await expect(rotate(step(arn, token, 'testSecret'))).rejects.toThrow(/not a 64-character key/);
    expect(await current(arn)).toBe(ORIGINAL);
  });

  test('a version that is neither pending nor current is refused', async () => {
    const { arn } = await secretPendingRotation('unknown-version');
    await expect(rotate(step(arn, '99999999-2222-3333-4444-555555555555', 'createSecret'))).rejects.toThrow(/has no stage/);
  });

  test('a secret without rotation turned on is refused', async () => {
    const { ARN } = await client.send(new CreateSecretCommand({ Name: 'no-rotation', SecretString: ORIGINAL }));
    const version = await stagedVersion(ARN!, 'AWSCURRENT');
    await expect(rotate(step(ARN!, version!, 'createSecret'))).rejects.toThrow(/Rotation is not enabled/);
  });
});

// Secrets Manager hands createSecret a version id staged AWSPENDING with no value yet; moto copies the current
// value into that version instead, so this one step runs against a mocked client.
describe('createSecret on a version with no value yet (mocked client)', () => {
  let mocked: ReturnType<typeof mockClient>;
  // Created here, not at load: mocking the class replaces `send` for every instance, the moto tests' too.
  beforeAll(() => (mocked = mockClient(SecretsManagerClient)));
  afterAll(() => mocked.restore());

  test('stores a new random 64-character key as AWSPENDING under the request token', async () => {
    const token = 'aaaaaaaa-2222-3333-4444-555555555555';
    mocked.on(DescribeSecretCommand).resolves({ RotationEnabled: true, VersionIdsToStages: { old: ['AWSCURRENT'], [token]: ['AWSPENDING'] } });
    mocked.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'no value', $metadata: {} }));
    mocked.on(GetRandomPasswordCommand).resolves({ RandomPassword: 'Z'.repeat(SIGNING_KEY_LENGTH) });
    mocked.on(PutSecretValueCommand).resolves({});
    await createRotation(new SecretsManagerClient({ region: 'eu-west-1' }), log)(step('arn:aws:secretsmanager:eu-west-1:123456789012:secret:k', token, 'createSecret'));
    expect(mocked.commandCalls(GetRandomPasswordCommand)[0]!.args[0].input).toMatchObject({ PasswordLength: SIGNING_KEY_LENGTH, ExcludePunctuation: true });
    expect(mocked.commandCalls(PutSecretValueCommand)[0]!.args[0].input).toEqual({
      SecretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:k',
      ClientRequestToken: token,
      SecretString: 'Z'.repeat(SIGNING_KEY_LENGTH),
      VersionStages: ['AWSPENDING'],
    });
  });
});
