import * as sdk from '@aws-sdk/client-cloudhsm-v2';
import type { Cluster, CreateHsmCommandInput, Hsm } from '@aws-sdk/client-cloudhsm-v2';
import { Logger } from '@aws-lambda-powertools/logger';
import type { CdkCustomResourceIsCompleteEvent } from 'aws-lambda';
import { hsmMock, CreateHsmCommand, DeleteClusterCommand, DeleteHsmCommand, DescribeClustersCommand } from '../../helpers/cloudhsm-mock';
import { createIsComplete } from '../../../functions/cloudhsm-cluster/is-complete';


const CLUSTER_ID = 'cluster-abcdefghijk';
const SUBNETS = ['subnet-0a1', 'subnet-0b2', 'subnet-0c3'];
// CloudHSM's map is keyed by zone; deliberately not in the order of SubnetIds.
const SUBNET_MAPPING = { 'eu-west-1c': 'subnet-0c3', 'eu-west-1a': 'subnet-0a1', 'eu-west-1b': 'subnet-0b2' };

const isComplete = createIsComplete(new sdk.CloudHSMV2Client({ region: 'eu-west-1' }), new Logger({ logLevel: 'SILENT' }));

const event = (
  RequestType: 'Create' | 'Update' | 'Delete',
  overrides: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): CdkCustomResourceIsCompleteEvent =>
  ({
    ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:provider',
    ResponseURL: 'https://example.com/response',
    StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/sra/1',
    RequestId: 'request-1',
    LogicalResourceId: 'HsmCluster',
    ResourceType: 'Custom::CloudHsmCluster',
    RequestType,
    PhysicalResourceId: CLUSTER_ID,
    ResourceProperties: { ServiceToken: 'x', SubnetIds: SUBNETS, HsmCount: '2', ...overrides },
    OldResourceProperties: { ServiceToken: 'x', SubnetIds: SUBNETS },
    Data: { ClusterId: CLUSTER_ID },
    ...extra,
  }) as CdkCustomResourceIsCompleteEvent;

const hsm = (HsmId: string, AvailabilityZone: string, State = 'ACTIVE', EniIp?: string): Hsm => ({ HsmId, AvailabilityZone, State, EniIp, ClusterId: CLUSTER_ID });
const cluster = (State: string, Hsms: Hsm[] = [], extra: Partial<Cluster> = {}): Cluster => ({
  ClusterId: CLUSTER_ID,
  State,
  Hsms,
  SubnetMapping: SUBNET_MAPPING,
  SecurityGroup: 'sg-0123456789abcdef0',
  VpcId: 'vpc-0123456789abcdef0',
  ...extra,
});
const describes = (c: Cluster) => hsmMock.on(DescribeClustersCommand).resolves({ Clusters: [c] });
const zonesCreated = () => hsmMock.commandCalls(CreateHsmCommand).map((c) => c.args[0].input.AvailabilityZone);

/** A cluster that remembers the HSMs CreateHsm added, as CloudHSM does. */
function liveCluster(state: string, initial: Hsm[] = []): Hsm[] {
  const hsms = [...initial];
  hsmMock.on(DescribeClustersCommand).callsFake(() => ({ Clusters: [cluster(state, hsms.map((h) => ({ ...h })))] }));
  hsmMock.on(CreateHsmCommand).callsFake((input: CreateHsmCommandInput) => {
    const created = hsm(`hsm-${hsms.length + 1}`, input.AvailabilityZone!, 'CREATE_IN_PROGRESS');
    hsms.push(created);
    return { Hsm: created };
  });
  return hsms;
}

beforeEach(() => hsmMock.reset());

describe('isComplete after a create or update', () => {
  test('asks for the cluster by id', async () => {
    describes(cluster('CREATE_IN_PROGRESS'));
    await isComplete(event('Create'));
    expect(hsmMock.commandCalls(DescribeClustersCommand)[0]!.args[0].input).toEqual({ Filters: { clusterIds: [CLUSTER_ID] } });
  });

  test.each(['CREATE_IN_PROGRESS', 'INITIALIZE_IN_PROGRESS', 'UPDATE_IN_PROGRESS'])('waits while the cluster is %s, creating nothing', async (state) => {
    describes(cluster(state));
    expect(await isComplete(event('Create'))).toEqual({ IsComplete: false });
    expect(hsmMock.commandCalls(CreateHsmCommand)).toHaveLength(0);
  });

  test('creates one HSM per zone, in the order of SubnetIds, and is not complete yet', async () => {
    describes(cluster('UNINITIALIZED'));
    expect(await isComplete(event('Create'))).toEqual({ IsComplete: false });
    expect(hsmMock.commandCalls(CreateHsmCommand).map((c) => c.args[0].input)).toEqual([
      { ClusterId: CLUSTER_ID, AvailabilityZone: 'eu-west-1a' },
      { ClusterId: CLUSTER_ID, AvailabilityZone: 'eu-west-1b' },
    ]);
  });

  test('creates HSMs only in the zones that have none', async () => {
    describes(cluster('UNINITIALIZED', [hsm('hsm-1', 'eu-west-1a', 'CREATE_IN_PROGRESS')]));
    await isComplete(event('Create', { HsmCount: '3' }));
    expect(zonesCreated()).toEqual(['eu-west-1b', 'eu-west-1c']);
  });

  test('spreads more HSMs than zones round-robin', async () => {
    describes(cluster('ACTIVE', [hsm('hsm-1', 'eu-west-1b')]));
    await isComplete(event('Update', { HsmCount: '5' }));
    expect(zonesCreated()).toEqual(['eu-west-1a', 'eu-west-1c', 'eu-west-1a', 'eu-west-1b']);
  });

  test('HSMs being deleted do not count, so their zone gets a new one', async () => {
    describes(cluster('ACTIVE', [hsm('hsm-1', 'eu-west-1a'), hsm('hsm-2', 'eu-west-1b', 'DELETE_IN_PROGRESS')]));
    await isComplete(event('Update'));
    expect(zonesCreated()).toEqual(['eu-west-1b']);
  });

  test('never creates an HSM twice across repeated calls', async () => {
    const hsms = liveCluster('UNINITIALIZED');
    for (let i = 0; i < 4; i++) expect(await isComplete(event('Create'))).toEqual({ IsComplete: false });
    expect(zonesCreated()).toEqual(['eu-west-1a', 'eu-west-1b']);
    expect(hsms.map((h) => h.AvailabilityZone)).toEqual(['eu-west-1a', 'eu-west-1b']);
  });

  test('is complete once HsmCount HSMs are ACTIVE, with the cluster attributes', async () => {
    describes(cluster('UNINITIALIZED', [hsm('hsm-1', 'eu-west-1a', 'ACTIVE', '10.0.1.10'), hsm('hsm-2', 'eu-west-1b', 'ACTIVE', '10.0.2.10')]));
    expect(await isComplete(event('Create'))).toEqual({
      IsComplete: true,
      Data: {
        ClusterId: CLUSTER_ID,
        SecurityGroupId: 'sg-0123456789abcdef0',
        State: 'UNINITIALIZED',
        VpcId: 'vpc-0123456789abcdef0',
        HsmIps: '10.0.1.10,10.0.2.10',
      },
    });
    expect(hsmMock.commandCalls(CreateHsmCommand)).toHaveLength(0);
  });

  test('is not complete while an HSM is still being created', async () => {
    describes(cluster('ACTIVE', [hsm('hsm-1', 'eu-west-1a'), hsm('hsm-2', 'eu-west-1b', 'CREATE_IN_PROGRESS')]));
    expect(await isComplete(event('Update'))).toEqual({ IsComplete: false });
    expect(hsmMock.commandCalls(CreateHsmCommand)).toHaveLength(0);
  });

  test('waits until the HSMs onEvent deleted are gone', async () => {
    const remaining = [hsm('hsm-1', 'eu-west-1a'), hsm('hsm-2', 'eu-west-1b')];
    describes(cluster('UNINITIALIZED', [...remaining, hsm('hsm-3', 'eu-west-1a')]));
    expect(await isComplete(event('Update', {}, { HsmIdsBeingDeleted: ['hsm-3'] }))).toEqual({ IsComplete: false });
    describes(cluster('UNINITIALIZED', remaining));
    expect(await isComplete(event('Update', {}, { HsmIdsBeingDeleted: ['hsm-3'] }))).toMatchObject({ IsComplete: true });
    expect(hsmMock.commandCalls(CreateHsmCommand)).toHaveLength(0);
  });

  test('a degraded cluster fails with a clear error instead of waiting forever', async () => {
    describes(cluster('DEGRADED', [], { StateMessage: 'HSM hardware failure' }));
    await expect(isComplete(event('Create'))).rejects.toThrow(`CloudHSM cluster ${CLUSTER_ID} is DEGRADED (HSM hardware failure)`);
  });

  test('a degraded HSM fails with its id and zone, and nothing is created', async () => {
    describes(cluster('ACTIVE', [hsm('hsm-1', 'eu-west-1a', 'DEGRADED')]));
    await expect(isComplete(event('Update'))).rejects.toThrow(/degraded HSMs: hsm-1 \(eu-west-1a, DEGRADED\)/);
    expect(hsmMock.commandCalls(CreateHsmCommand)).toHaveLength(0);
  });

  test('a cluster that disappeared fails', async () => {
    hsmMock.on(DescribeClustersCommand).resolves({ Clusters: [] });
    await expect(isComplete(event('Update'))).rejects.toThrow(`CloudHSM cluster ${CLUSTER_ID} does not exist`);
  });

  test('a cluster being deleted by someone else fails', async () => {
    describes(cluster('DELETE_IN_PROGRESS'));
    await expect(isComplete(event('Update'))).rejects.toThrow('is DELETE_IN_PROGRESS');
  });

  test('validates the properties on every call', async () => {
    await expect(isComplete(event('Create', { HsmCount: '0' }))).rejects.toThrow('HsmCount: must be a whole number from 1 to 28');
    expect(hsmMock.calls()).toHaveLength(0);
  });
});

describe('isComplete after a delete', () => {
  const destroy = (extra: Record<string, unknown> = {}) => event('Delete', { RemovalPolicy: 'destroy' }, extra);

  test('retain: complete at once, without calling CloudHSM', async () => {
    expect(await isComplete(event('Delete'))).toEqual({ IsComplete: true });
    expect(hsmMock.calls()).toHaveLength(0);
  });

  test('waits while HSMs are being deleted, without asking again', async () => {
    describes(cluster('UNINITIALIZED', [hsm('hsm-1', 'eu-west-1a', 'DELETE_IN_PROGRESS'), hsm('hsm-2', 'eu-west-1b')]));
    expect(await isComplete(destroy({ HsmIdsBeingDeleted: ['hsm-2'] }))).toEqual({ IsComplete: false });
    expect(hsmMock.commandCalls(DeleteHsmCommand)).toHaveLength(0);
    expect(hsmMock.commandCalls(DeleteClusterCommand)).toHaveLength(0);
  });

  test('deletes an HSM that finished creating after onEvent ran', async () => {
    describes(cluster('UNINITIALIZED', [hsm('hsm-1', 'eu-west-1a', 'DELETE_IN_PROGRESS'), hsm('hsm-2', 'eu-west-1b')]));
    expect(await isComplete(destroy({ HsmIdsBeingDeleted: ['hsm-1'] }))).toEqual({ IsComplete: false });
    expect(hsmMock.commandCalls(DeleteHsmCommand).map((c) => c.args[0].input)).toEqual([{ ClusterId: CLUSTER_ID, HsmId: 'hsm-2' }]);
  });

  test('deletes the cluster once no HSM is left, then waits for it to go', async () => {
    describes(cluster('UNINITIALIZED', [hsm('hsm-1', 'eu-west-1a', 'DELETED')]));
    expect(await isComplete(destroy())).toEqual({ IsComplete: false });
    expect(hsmMock.commandCalls(DeleteClusterCommand).map((c) => c.args[0].input)).toEqual([{ ClusterId: CLUSTER_ID }]);
  });

  test('does not delete the cluster twice', async () => {
    describes(cluster('DELETE_IN_PROGRESS'));
    expect(await isComplete(destroy())).toEqual({ IsComplete: false });
    expect(hsmMock.commandCalls(DeleteClusterCommand)).toHaveLength(0);
  });

  test('is complete when the cluster is gone', async () => {
    hsmMock.on(DescribeClustersCommand).resolves({ Clusters: [] });
    expect(await isComplete(destroy())).toEqual({ IsComplete: true });
  });

  test('refuses, mid-way, a cluster that someone initialized meanwhile', async () => {
    describes(cluster('INITIALIZED', [hsm('hsm-2', 'eu-west-1b')]));
    await expect(isComplete(destroy())).rejects.toThrow('Refusing to delete CloudHSM cluster');
    expect(hsmMock.commandCalls(DeleteHsmCommand)).toHaveLength(0);
    expect(hsmMock.commandCalls(DeleteClusterCommand)).toHaveLength(0);
  });
});
