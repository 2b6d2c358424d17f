import { CreateKeyCommand, KMSClient, ListGrantsCommand } from '@aws-sdk/client-kms';
import { Logger } from '@aws-lambda-powertools/logger';
import type { CdkCustomResourceEvent } from 'aws-lambda';
import { createOnEvent } from '../../../functions/kms-grant/on-event';
import { GRANT_OPERATIONS } from '../../../functions/kms-grant/properties';
import { MOTO_ACCOUNT, resetMoto } from '../../helpers/moto';

const REQUEST = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:provider',
  ResponseURL: 'https://cloudformation-custom-resource-response.example/',
  StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/workload/1',
  RequestId: 'request-1',
  LogicalResourceId: 'AutoScalingKeyGrant',
  ResourceType: 'Custom::KmsGrant',
};
const SLR = `arn:aws:iam::${MOTO_ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_sra-app-prod`;
const OTHER_SLR = `arn:aws:iam::${MOTO_ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_sra-app-stage`;
const HANDLER_ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/sra-app-prod-application-KeyGrantRole`;

let kms: KMSClient;
let onEvent: ReturnType<typeof createOnEvent>;
let keyArn: string;
let otherKeyArn: string;

const props = (overrides: Record<string, unknown> = {}) => ({
  ServiceToken: REQUEST.ServiceToken,
  KeyArn: keyArn,
  GranteePrincipal: SLR,
  RetiringPrincipal: HANDLER_ROLE,
  Name: 'sra-app-prod-auto-scaling-volumes',
  Operations: [...GRANT_OPERATIONS],
  ...overrides,
});
const grantsOn = async (key: string) => (await kms.send(new ListGrantsCommand({ KeyId: key }))).Grants ?? [];

beforeAll(async () => {
  const server = await resetMoto();
  kms = new KMSClient(server.clientConfig('eu-west-1'));
  onEvent = createOnEvent(kms, new Logger({ logLevel: 'SILENT' }));
  keyArn = (await kms.send(new CreateKeyCommand({ Description: 'central data key' }))).KeyMetadata!.Arn!;
  otherKeyArn = (await kms.send(new CreateKeyCommand({ Description: 'replacement data key' }))).KeyMetadata!.Arn!;
});

describe('kms-grant onEvent against moto_server', () => {
  let grantId: string;

  test('Create makes a grant for the Auto Scaling role with exactly the volume operations, retirable by the handler', async () => {
    const result = await onEvent({ ...REQUEST, RequestType: 'Create', ResourceProperties: props() } as CdkCustomResourceEvent);
    grantId = result.PhysicalResourceId;
    expect(result.Data).toEqual({ GrantId: grantId });
    const grants = await grantsOn(keyArn);
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ GrantId: grantId, GranteePrincipal: SLR, RetiringPrincipal: HANDLER_ROLE, Name: 'sra-app-prod-auto-scaling-volumes' });
    expect([...grants[0]!.Operations!].sort()).toEqual([...GRANT_OPERATIONS].sort());
  });

  test('Update with the same grant keeps it and its id', async () => {
    const result = await onEvent({ ...REQUEST, RequestType: 'Update', PhysicalResourceId: grantId, ResourceProperties: props(), OldResourceProperties: props() } as CdkCustomResourceEvent);
    expect(result.PhysicalResourceId).toBe(grantId);
    expect(await grantsOn(keyArn)).toHaveLength(1);
  });

  test('Update with a new key makes a grant on it under a new id; the Delete for the old id retires the old grant', async () => {
    const update = await onEvent({
      ...REQUEST,
      RequestType: 'Update',
      PhysicalResourceId: grantId,
      ResourceProperties: props({ KeyArn: otherKeyArn }),
      OldResourceProperties: props(),
    } as CdkCustomResourceEvent);
    expect(update.PhysicalResourceId).not.toBe(grantId);
    expect((await grantsOn(otherKeyArn)).map((g) => g.GrantId)).toEqual([update.PhysicalResourceId]);
    // Until the update succeeds, the old grant stays (a rollback still needs it).
    expect((await grantsOn(keyArn)).map((g) => g.GrantId)).toEqual([grantId]);
    await onEvent({ ...REQUEST, RequestType: 'Delete', PhysicalResourceId: grantId, ResourceProperties: props() } as CdkCustomResourceEvent);
    expect(await grantsOn(keyArn)).toEqual([]);
    grantId = update.PhysicalResourceId;
  });

  test('Update with a new grantee replaces the grant too', async () => {
    const update = await onEvent({
      ...REQUEST,
      RequestType: 'Update',
      PhysicalResourceId: grantId,
      ResourceProperties: props({ KeyArn: otherKeyArn, GranteePrincipal: OTHER_SLR }),
      OldResourceProperties: props({ KeyArn: otherKeyArn }),
    } as CdkCustomResourceEvent);
    expect(update.PhysicalResourceId).not.toBe(grantId);
    const grantees = (await grantsOn(otherKeyArn)).map((g) => g.GranteePrincipal).sort();
    expect(grantees).toEqual([SLR, OTHER_SLR].sort());
    await onEvent({ ...REQUEST, RequestType: 'Delete', PhysicalResourceId: grantId, ResourceProperties: props({ KeyArn: otherKeyArn }) } as CdkCustomResourceEvent);
    grantId = update.PhysicalResourceId;
  });

  test('Delete retires the grant, and a second Delete (or a placeholder id) is not an error', async () => {
    const event = { ...REQUEST, RequestType: 'Delete', PhysicalResourceId: grantId, ResourceProperties: props({ KeyArn: otherKeyArn, GranteePrincipal: OTHER_SLR }) } as CdkCustomResourceEvent;
    await expect(onEvent(event)).resolves.toEqual({ PhysicalResourceId: grantId });
    expect(await grantsOn(otherKeyArn)).toEqual([]);
    await expect(onEvent(event)).resolves.toEqual({ PhysicalResourceId: grantId });
    await expect(onEvent({ ...event, PhysicalResourceId: REQUEST.RequestId } as CdkCustomResourceEvent)).resolves.toBeDefined();
  });

  test('a grant on a key that does not exist fails the deployment with KMS\'s error', async () => {
    const missing = keyArn.replace(/key\/.*/, 'key/00000000-0000-4000-8000-000000000000');
    await expect(onEvent({ ...REQUEST, RequestType: 'Create', ResourceProperties: props({ KeyArn: missing }) } as CdkCustomResourceEvent)).rejects.toThrow();
  });

  test.each([
    [{ KeyArn: 'alias/data' }, /Property KeyArn must be a KMS key ARN/],
    [{ GranteePrincipal: '*' }, /Property GranteePrincipal must be an IAM role ARN/],
    [{ Operations: ['Decrypt', 'RetireGrant'] }, /Property Operations must be a non-empty list of Encrypt, Decrypt/],
    [{ Name: 'has spaces' }, /Property Name must be/],
    [{ Grantee: SLR }, /Unknown property Grantee; allowed: KeyArn, GranteePrincipal/],
  ])('bad properties %j are refused before KMS is called', async (overrides, message) => {
    await expect(onEvent({ ...REQUEST, RequestType: 'Create', ResourceProperties: props(overrides) } as CdkCustomResourceEvent)).rejects.toThrow(message);
  });
});
