import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  DescribeManagedPrefixListsCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { Logger } from '@aws-lambda-powertools/logger';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { createOnEvent } from '../../../functions/vpc-baseline/on-event';
import { resetMoto } from '../../helpers/moto';

const REGION = 'eu-west-1';
const REQUEST = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:vpc-baseline',
  ResponseURL: 'https://cloudformation-custom-resource-response-euwest1.s3.eu-west-1.amazonaws.com/x',
  StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/sra-app-dev-network/1',
  RequestId: 'request-1',
  LogicalResourceId: 'VpcBaseline',
  ResourceType: 'Custom::VpcRestrictDefaultSG',
};

let ec2: EC2Client;
let onEvent: ReturnType<typeof createOnEvent>;
let vpcId: string;
let defaultGroupId: string;

const event = (type: 'Create' | 'Update' | 'Delete', props: Record<string, unknown>) =>
  ({ ...REQUEST, RequestType: type, PhysicalResourceId: defaultGroupId, ResourceProperties: { ServiceToken: REQUEST.ServiceToken, ...props }, OldResourceProperties: {} }) as unknown as CloudFormationCustomResourceEvent;
const group = async (id: string) => (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] }))).SecurityGroups![0]!;

beforeAll(async () => {
  const server = await resetMoto();
  ec2 = new EC2Client(server.clientConfig(REGION));
  onEvent = createOnEvent(ec2, new Logger({ logLevel: 'SILENT' }));
  vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }))).Vpc!.VpcId!;
  const groups = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: ['default'] }] }))).SecurityGroups!;
  defaultGroupId = groups[0]!.GroupId!;
});

describe('vpc-baseline onEvent against moto_server', () => {
  test('a new VPC default group holds the permissive defaults (the state the handler exists to remove)', async () => {
    const g = await group(defaultGroupId);
    expect(g.IpPermissions!.length + g.IpPermissionsEgress!.length).toBeGreaterThan(0);
  });

  test('Create strips every rule of the default group and reports the S3 and DynamoDB prefix lists', async () => {
    const result = await onEvent(event('Create', { DefaultSecurityGroupId: defaultGroupId, Region: REGION }));
    const g = await group(defaultGroupId);
    expect(g.IpPermissions).toEqual([]);
    expect(g.IpPermissionsEgress).toEqual([]);
    const lists = (await ec2.send(new DescribeManagedPrefixListsCommand({}))).PrefixLists!;
    const idOf = (name: string) => lists.find((l) => l.PrefixListName === name)!.PrefixListId;
    expect(result).toEqual({
      PhysicalResourceId: defaultGroupId,
      Data: { S3PrefixListId: idOf(`com.amazonaws.${REGION}.s3`), DynamoDbPrefixListId: idOf(`com.amazonaws.${REGION}.dynamodb`) },
    });
    expect(result.Data!.S3PrefixListId).toMatch(/^pl-/);
  });

  test('Update closes the group again, including rules someone added since', async () => {
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: defaultGroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }),
    );
    await onEvent(event('Update', { DefaultSecurityGroupId: defaultGroupId, Region: REGION }));
    expect((await group(defaultGroupId)).IpPermissions).toEqual([]);
  });

  test('a group that is not a default group is refused and left as it is', async () => {
    const other = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app', VpcId: vpcId }))).GroupId!;
    const before = await group(other);
    await expect(onEvent(event('Create', { DefaultSecurityGroupId: other, Region: REGION }))).rejects.toThrow(/not a VPC's default group/);
    expect((await group(other)).IpPermissionsEgress).toEqual(before.IpPermissionsEgress);
  });

  test('bad properties are refused with the field named', async () => {
    await expect(onEvent(event('Create', { DefaultSecurityGroupId: 'default', Region: REGION }))).rejects.toThrow(/DefaultSecurityGroupId/);
    await expect(onEvent(event('Create', { DefaultSecurityGroupId: defaultGroupId, Region: 'Ireland' }))).rejects.toThrow(/Region/);
  });

  test('Delete leaves the group closed and touches nothing, whatever its properties', async () => {
    const result = await onEvent(event('Delete', { DefaultSecurityGroupId: 'garbage' }));
    expect(result).toEqual({ PhysicalResourceId: defaultGroupId });
    const g = await group(defaultGroupId);
    expect([g.IpPermissions, g.IpPermissionsEgress]).toEqual([[], []]);
  });
});
