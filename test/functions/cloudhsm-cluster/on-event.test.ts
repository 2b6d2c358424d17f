import * as sdk from '@aws-sdk/client-cloudhsm-v2';
import type { Cluster, Hsm } from '@aws-sdk/client-cloudhsm-v2';
import { Logger } from '@aws-lambda-powertools/logger';
import type { CdkCustomResourceEvent } from 'aws-lambda';
import { hsmMock, CreateClusterCommand, CreateHsmCommand, DeleteHsmCommand, DeleteClusterCommand, DescribeClustersCommand, ModifyClusterCommand, TagResourceCommand, UntagResourceCommand } from '../../helpers/cloudhsm-mock';
import { createIsComplete } from '../../../functions/cloudhsm-cluster/is-complete';
import { createOnEvent } from '../../../functions/cloudhsm-cluster/on-event';


const CLUSTER_ID = 'cluster-abcdefghijk';
const SUBNETS = ['subnet-0a1', 'subnet-0b2'];
const TAGS = [{ Key: 'Application', Value: 'sra' }, { Key: 'Owner', Value: 'security' }];

const logger = new Logger({ logLevel: 'SILENT' });
const onEvent = createOnEvent(new sdk.CloudHSMV2Client({ region: 'eu-west-1' }), logger);
const isComplete = createIsComplete(new sdk.CloudHSMV2Client({ region: 'eu-west-1' }), logger);

const props = (overrides: Record<string, unknown> = {}) => ({
  ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:provider',
  SubnetIds: SUBNETS,
  HsmCount: '2',
  BackupRetentionDays: '90',
  Tags: TAGS,
  ...overrides,
});
const common = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:provider',
  ResponseURL: 'https://example.com/response',
  StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/sra/1',
  RequestId: 'request-1',
  LogicalResourceId: 'HsmCluster',
  ResourceType: 'Custom::CloudHsmCluster',
};
const createEvent = (p = props()): CdkCustomResourceEvent => ({ ...common, RequestType: 'Create', ResourceProperties: p });
const updateEvent = (p: ReturnType<typeof props>, old = props()): CdkCustomResourceEvent => ({
  ...common, RequestType: 'Update', PhysicalResourceId: CLUSTER_ID, ResourceProperties: p, OldResourceProperties: old,
});
const deleteEvent = (p = props(), physicalId = CLUSTER_ID): CdkCustomResourceEvent => ({
  ...common, RequestType: 'Delete', PhysicalResourceId: physicalId, ResourceProperties: p,
});

const hsm = (HsmId: string, AvailabilityZone: string, State = 'ACTIVE'): Hsm => ({ HsmId, AvailabilityZone, State, ClusterId: CLUSTER_ID });
const cluster = (State: string, Hsms: Hsm[] = [], extra: Partial<Cluster> = {}): Cluster => ({
  ClusterId: CLUSTER_ID,
  State,
  Hsms,
  SubnetMapping: { 'eu-west-1a': 'subnet-0a1', 'eu-west-1b': 'subnet-0b2' },
  SecurityGroup: 'sg-0123456789abcdef0',
  VpcId: 'vpc-0123456789abcdef0',
  ...extra,
});
const describes = (c: Cluster) => hsmMock.on(DescribeClustersCommand).resolves({ Clusters: [c] });
/** Every call but a DescribeClusters changes something. */
const writesSent = () => hsmMock.calls().filter((call) => !(call.args[0] instanceof sdk.DescribeClustersCommand)).length;

beforeEach(() => hsmMock.reset());

describe('onEvent Create', () => {
  test('creates the cluster with exactly the given parameters and returns its id', async () => {
    hsmMock.on(CreateClusterCommand).resolves({ Cluster: { ClusterId: CLUSTER_ID, State: 'CREATE_IN_PROGRESS' } });
    const response = await onEvent(createEvent(props({ HsmType: 'hsm2m.medium', BackupRetentionDays: '30' })));
    expect(response).toEqual({ PhysicalResourceId: CLUSTER_ID, Data: { ClusterId: CLUSTER_ID } });
    const calls = hsmMock.commandCalls(CreateClusterCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      HsmType: 'hsm2m.medium',
      SubnetIds: SUBNETS,
      BackupRetentionPolicy: { Type: 'DAYS', Value: '30' },
      TagList: TAGS,
    });
    expect(hsmMock.commandCalls(CreateHsmCommand)).toHaveLength(0); // HSMs come from isComplete
  });

  test('uses the defaults and sends no empty tag list', async () => {
    hsmMock.on(CreateClusterCommand).resolves({ Cluster: { ClusterId: CLUSTER_ID } });
    await onEvent(createEvent({ ServiceToken: common.ServiceToken, SubnetIds: SUBNETS } as ReturnType<typeof props>));
    expect(hsmMock.commandCalls(CreateClusterCommand)[0]!.args[0].input).toEqual({
      HsmType: 'hsm2m.medium',
      SubnetIds: SUBNETS,
      BackupRetentionPolicy: { Type: 'DAYS', Value: '90' },
    });
  });

  test('rejects bad properties before calling CloudHSM', async () => {
    await expect(onEvent(createEvent(props({ HsmCount: '30' })))).rejects.toThrow('HsmCount: must be a whole number from 1 to 28 (got "30")');
    await expect(onEvent(createEvent(props({ SubnetIds: ['subnet-0a1'] })))).rejects.toThrow('SubnetIds: must be a list of 2 to 10');
    await expect(onEvent(createEvent(props({ BackupRetentionDays: '400' })))).rejects.toThrow('BackupRetentionDays: must be a whole number from 7 to 379');
    await expect(onEvent(createEvent(props({ RemovalPolicy: 'snapshot' })))).rejects.toThrow('RemovalPolicy: must be one of retain, destroy');
    expect(hsmMock.calls()).toHaveLength(0);
  });
});

describe('onEvent Update', () => {
  test('refuses to change the subnets, which would replace the cluster and lose its keys', async () => {
    await expect(onEvent(updateEvent(props({ SubnetIds: ['subnet-0a1', 'subnet-0c3'] })))).rejects.toThrow(
      /SubnetIds cannot change \(from subnet-0a1, subnet-0b2 to subnet-0a1, subnet-0c3\).*never replaces it/,
    );
    expect(hsmMock.calls()).toHaveLength(0);
  });

  test('refuses to change the HSM type', async () => {
    await expect(onEvent(updateEvent(props({ HsmType: 'hsm1.medium' }), props({ HsmType: 'hsm2m.medium' })))).rejects.toThrow(
      /HsmType cannot change \(from hsm2m.medium to hsm1.medium\)/,
    );
    expect(hsmMock.calls()).toHaveLength(0);
  });

  test('a reordered subnet list is no change', async () => {
    const response = await onEvent(updateEvent(props({ SubnetIds: [...SUBNETS].reverse() })));
    expect(response).toEqual({ PhysicalResourceId: CLUSTER_ID, Data: { ClusterId: CLUSTER_ID }, HsmIdsBeingDeleted: [] });
    expect(hsmMock.calls()).toHaveLength(0);
  });

  test('tags: removes dropped keys and puts new or changed tags only, on the cluster id', async () => {
    const next = [{ Key: 'Application', Value: 'sra' }, { Key: 'Owner', Value: 'platform' }, { Key: 'CostCentre', Value: '42' }];
    await onEvent(updateEvent(props({ Tags: next }), props({ Tags: [...TAGS, { Key: 'Legacy', Value: 'x' }] })));
    expect(hsmMock.commandCalls(UntagResourceCommand).map((c) => c.args[0].input)).toEqual([{ ResourceId: CLUSTER_ID, TagKeyList: ['Legacy'] }]);
    expect(hsmMock.commandCalls(TagResourceCommand).map((c) => c.args[0].input)).toEqual([
      { ResourceId: CLUSTER_ID, TagList: [{ Key: 'Owner', Value: 'platform' }, { Key: 'CostCentre', Value: '42' }] },
    ]);
    expect(hsmMock.commandCalls(ModifyClusterCommand)).toHaveLength(0);
  });

  test('a changed backup retention is applied with ModifyCluster', async () => {
    const response = await onEvent(updateEvent(props({ BackupRetentionDays: '365' })));
    expect(hsmMock.commandCalls(ModifyClusterCommand).map((c) => c.args[0].input)).toEqual([
      { ClusterId: CLUSTER_ID, BackupRetentionPolicy: { Type: 'DAYS', Value: '365' } },
    ]);
    expect(response.PhysicalResourceId).toBe(CLUSTER_ID);
    expect(writesSent()).toBe(1);
  });

  test('a higher HsmCount changes nothing here: isComplete creates the HSMs', async () => {
    const response = await onEvent(updateEvent(props({ HsmCount: '4' })));
    expect(response.PhysicalResourceId).toBe(CLUSTER_ID);
    expect(hsmMock.calls()).toHaveLength(0);
  });

  test('a lower HsmCount deletes the surplus HSMs of an uninitialized cluster, from the fullest zone', async () => {
    describes(cluster('UNINITIALIZED', [hsm('hsm-a1', 'eu-west-1a'), hsm('hsm-b1', 'eu-west-1b'), hsm('hsm-a2', 'eu-west-1a')]));
    const response = await onEvent(updateEvent(props({ HsmCount: '2' }), props({ HsmCount: '3' })));
    expect(hsmMock.commandCalls(DeleteHsmCommand).map((c) => c.args[0].input)).toEqual([{ ClusterId: CLUSTER_ID, HsmId: 'hsm-a2' }]);
    expect(response).toEqual({ PhysicalResourceId: CLUSTER_ID, Data: { ClusterId: CLUSTER_ID }, HsmIdsBeingDeleted: ['hsm-a2'] });
  });

  test.each(['INITIALIZED', 'ACTIVE'])('a lower HsmCount on an %s cluster is refused, and nothing else is changed', async (state) => {
    describes(cluster(state, [hsm('hsm-a1', 'eu-west-1a'), hsm('hsm-b1', 'eu-west-1b'), hsm('hsm-a2', 'eu-west-1a')]));
    const update = updateEvent(props({ HsmCount: '2', BackupRetentionDays: '30', Tags: [] }), props({ HsmCount: '3' }));
    await expect(onEvent(update)).rejects.toThrow(
      new RegExp(`HsmCount cannot go from 3 to 2: cluster ${CLUSTER_ID} is ${state}.*must be done by the operator.*hsm-a2`),
    );
    expect(writesSent()).toBe(0);
  });

  test('a lower HsmCount the operator already carried out on an active cluster is accepted', async () => {
    describes(cluster('ACTIVE', [hsm('hsm-a1', 'eu-west-1a'), hsm('hsm-b1', 'eu-west-1b')]));
    await onEvent(updateEvent(props({ HsmCount: '2' }), props({ HsmCount: '3' })));
    expect(writesSent()).toBe(0);
  });
});

describe('onEvent Delete', () => {
  test('retain (the default) touches nothing, in onEvent and in isComplete, and logs the retained cluster', async () => {
    const info = jest.spyOn(logger, 'info');
    const event = deleteEvent(props()); // no RemovalPolicy: retain
    const response = await onEvent(event);
    expect(response).toEqual({ PhysicalResourceId: CLUSTER_ID });
    expect(await isComplete({ ...event, ...response })).toEqual({ IsComplete: true });
    expect(hsmMock.calls()).toHaveLength(0);
    expect(info).toHaveBeenCalledWith(expect.stringContaining('retained'), { clusterId: CLUSTER_ID });
    info.mockRestore();
  });

  test('destroy deletes the HSMs of an uninitialized cluster (those still being created are left for isComplete)', async () => {
    describes(cluster('UNINITIALIZED', [hsm('hsm-a1', 'eu-west-1a'), hsm('hsm-b1', 'eu-west-1b', 'CREATE_IN_PROGRESS')]));
    const response = await onEvent(deleteEvent(props({ RemovalPolicy: 'destroy' })));
    expect(hsmMock.commandCalls(DeleteHsmCommand).map((c) => c.args[0].input)).toEqual([{ ClusterId: CLUSTER_ID, HsmId: 'hsm-a1' }]);
    expect(hsmMock.commandCalls(DeleteClusterCommand)).toHaveLength(0); // only once no HSM is left
    expect(response).toEqual({ PhysicalResourceId: CLUSTER_ID, HsmIdsBeingDeleted: ['hsm-a1'] });
  });

  test.each(['INITIALIZED', 'ACTIVE', 'DEGRADED'])('destroy refuses a cluster that is %s, since it may hold keys', async (state) => {
    describes(cluster(state, [hsm('hsm-a1', 'eu-west-1a')]));
    await expect(onEvent(deleteEvent(props({ RemovalPolicy: 'destroy' })))).rejects.toThrow(
      new RegExp(`Refusing to delete CloudHSM cluster ${CLUSTER_ID}: it is ${state} and may hold key material`),
    );
    expect(writesSent()).toBe(0);
  });

  test('destroy refuses a cluster that has a cluster certificate, whatever its state says', async () => {
    describes(cluster('UPDATE_IN_PROGRESS', [], { Certificates: { ClusterCertificate: '-----BEGIN CERTIFICATE-----' } }));
    await expect(onEvent(deleteEvent(props({ RemovalPolicy: 'destroy' })))).rejects.toThrow('may hold key material');
    expect(writesSent()).toBe(0);
  });

  test.each([
    ['not listed', () => hsmMock.on(DescribeClustersCommand).resolves({ Clusters: [] })],
    ['not found', () => hsmMock.on(DescribeClustersCommand).rejects(new sdk.CloudHsmResourceNotFoundException({ message: 'no such cluster', $metadata: {} }))],
    ['DELETED', () => describes(cluster('DELETED'))],
  ])('destroy of a cluster that is %s succeeds', async (_, arrange) => {
    arrange();
    const event = deleteEvent(props({ RemovalPolicy: 'destroy' }));
    const response = await onEvent(event);
    expect(response).toEqual({ PhysicalResourceId: CLUSTER_ID });
    expect(await isComplete({ ...event, ...response })).toEqual({ IsComplete: true });
    expect(writesSent()).toBe(0);
  });

  test('a physical id that is no cluster id (the create never got one) is deleted without calling CloudHSM', async () => {
    const response = await onEvent(deleteEvent(props({ RemovalPolicy: 'destroy' }), 'request-1'));
    expect(response).toEqual({ PhysicalResourceId: 'request-1' });
    expect(hsmMock.calls()).toHaveLength(0);
  });
});
