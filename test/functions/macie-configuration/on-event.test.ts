import {
  GetMacieSessionCommand,
  Macie2Client,
  PutClassificationExportConfigurationCommand,
  PutFindingsPublicationConfigurationCommand,
  UpdateAutomatedDiscoveryConfigurationCommand,
} from '@aws-sdk/client-macie2';
import { Logger } from '@aws-lambda-powertools/logger';
import type { CdkCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createOnEvent, PHYSICAL_ID } from '../../../functions/macie-configuration/on-event';

// moto serves the Macie session calls but none of the three settings this handler puts, so the client is mocked;
// the assertions are on the exact requests the real API receives.
const macie = mockClient(Macie2Client);
const onEvent = createOnEvent(new Macie2Client({ region: 'eu-west-1' }), new Logger({ logLevel: 'SILENT' }));

const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const REQUEST = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:provider',
  ResponseURL: 'https://cloudformation-custom-resource-response.example/',
  StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/detection/1',
  RequestId: 'request-1',
  LogicalResourceId: 'Macie',
  ResourceType: 'Custom::MacieConfiguration',
};
const props = (extra: Record<string, unknown> = {}) => ({ ServiceToken: REQUEST.ServiceToken, BucketName: 'sra-app-dev-logs', KeyPrefix: 'macie', KmsKeyArn: KEY, ...extra });
const create = (extra?: Record<string, unknown>) => ({ ...REQUEST, RequestType: 'Create', ResourceProperties: props(extra) }) as CdkCustomResourceEvent;
const order = () => macie.calls().map((call) => (call.args[0] as { constructor: { name: string } }).constructor.name);

beforeEach(() => {
  macie.reset();
  macie.on(GetMacieSessionCommand).resolves({ status: 'ENABLED' });
  macie.on(PutClassificationExportConfigurationCommand).resolves({});
  macie.on(PutFindingsPublicationConfigurationCommand).resolves({});
  macie.on(UpdateAutomatedDiscoveryConfigurationCommand).resolves({});
});

test('Create exports results to the log archive with the logs key, publishes both finding kinds, and turns on automated discovery', async () => {
  const result = await onEvent(create());

  expect(result.PhysicalResourceId).toBe(PHYSICAL_ID);
  expect(macie.commandCalls(PutClassificationExportConfigurationCommand)[0]!.args[0].input).toEqual({
    configuration: { s3Destination: { bucketName: 'sra-app-dev-logs', keyPrefix: 'macie', kmsKeyArn: KEY } },
  });
  expect(macie.commandCalls(PutFindingsPublicationConfigurationCommand)[0]!.args[0].input).toEqual({
    clientToken: 'request-1',
    securityHubConfiguration: { publishPolicyFindings: true, publishClassificationFindings: true },
  });
  expect(macie.commandCalls(UpdateAutomatedDiscoveryConfigurationCommand)[0]!.args[0].input).toEqual({ status: 'ENABLED' });
  // The results repository must exist before discovery runs.
  expect(order()).toEqual(['GetMacieSessionCommand', 'PutClassificationExportConfigurationCommand', 'PutFindingsPublicationConfigurationCommand', 'UpdateAutomatedDiscoveryConfigurationCommand']);
});

test('Update puts the whole configuration again and keeps the physical id', async () => {
  const result = await onEvent({ ...REQUEST, RequestType: 'Update', PhysicalResourceId: PHYSICAL_ID, ResourceProperties: props({ KeyPrefix: 'macie/results' }), OldResourceProperties: props() } as CdkCustomResourceEvent);
  expect(result.PhysicalResourceId).toBe(PHYSICAL_ID);
  expect(macie.commandCalls(PutClassificationExportConfigurationCommand)[0]!.args[0].input.configuration?.s3Destination?.keyPrefix).toBe('macie/results');
});

test('Delete changes nothing in Macie', async () => {
  await onEvent({ ...REQUEST, RequestType: 'Delete', PhysicalResourceId: PHYSICAL_ID, ResourceProperties: props() } as CdkCustomResourceEvent);
  expect(macie.calls()).toHaveLength(0);
});

test('a paused Macie fails the deployment with what to do, before any change', async () => {
  macie.on(GetMacieSessionCommand).resolves({ status: 'PAUSED' });
  await expect(onEvent(create())).rejects.toThrow(/Amazon Macie is PAUSED .* Resume it/);
  expect(order()).toEqual(['GetMacieSessionCommand']);
});

test('an export Macie refuses (bucket or key policy) fails the deployment and nothing further is sent', async () => {
  macie.on(PutClassificationExportConfigurationCommand).rejects(new Error('Macie is not allowed to use the key'));
  await expect(onEvent(create())).rejects.toThrow(/not allowed to use the key/);
  expect(macie.commandCalls(UpdateAutomatedDiscoveryConfigurationCommand)).toHaveLength(0);
});

test.each([
  ['an alias for the key', { KmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:alias/logs' }, /KMS key ARN \(not an alias\)/],
  ['a prefix with a trailing slash', { KeyPrefix: 'macie/' }, /KeyPrefix must be a folder/],
  ['an upper-case bucket name', { BucketName: 'Logs' }, /BucketName must be an S3 bucket name/],
  ['an unknown property', { Frequency: 'daily' }, /Unknown property Frequency/],
])('refuses %s before calling Macie', async (_name, extra, message) => {
  await expect(onEvent(create(extra))).rejects.toThrow(message);
  expect(macie.calls()).toHaveLength(0);
});
