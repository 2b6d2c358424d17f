import { DEFAULT_INTERFACE_ENDPOINTS, INTERFACE_ENDPOINTS } from '../../../src/config/endpoints';
import { configFrom, resourcesOfType, synthesize, synthesizeExample } from '../../helpers/app';

interface Statement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: { StringEquals?: Record<string, string> };
}

const statementsOf = (endpoint: Record<string, unknown>) => (endpoint.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement;
const serviceOf = (endpoint: Record<string, unknown>) => String(endpoint.ServiceName).split('.').slice(3).join('.');

describe('ServiceEndpoints', () => {
  const dev = synthesizeExample('dev');
  const endpoints = resourcesOfType(dev.json.Network!, 'AWS::EC2::VPCEndpoint').map(([, p]) => p);
  const interfaces = endpoints.filter((e) => e.VpcEndpointType === 'Interface');
  const gateways = endpoints.filter((e) => e.VpcEndpointType === 'Gateway');
  const gateway = gateways.find((e) => JSON.stringify(e.ServiceName).includes('.s3'))!;
  const dynamoDb = gateways.find((e) => JSON.stringify(e.ServiceName).includes('.dynamodb'))!;

  test('the default interface endpoints and the S3 gateway endpoint exist', () => {
    expect(interfaces.map(serviceOf).sort()).toEqual([...DEFAULT_INTERFACE_ENDPOINTS].sort());
    expect(JSON.stringify(gateway.ServiceName)).toContain('.s3');
  });

  test('the endpoint list comes from the config', () => {
    const s = synthesize(configFrom('dev', (c) => (c.network.interfaceEndpoints = ['kms', 'sqs', 'ecr.dkr'])));
    const names = resourcesOfType(s.json.Network!, 'AWS::EC2::VPCEndpoint')
      .filter(([, e]) => e.VpcEndpointType === 'Interface')
      .map(([, e]) => serviceOf(e));
    expect(names.sort()).toEqual(['ecr.dkr', 'kms', 'sqs']);
  });

  test('every endpoint carries a policy, and no statement allows without a perimeter condition except named AWS-owned buckets', () => {
    for (const endpoint of endpoints) {
      const statements = statementsOf(endpoint);
      expect(statements?.length).toBeGreaterThan(0);
      for (const s of statements!) {
        expect(s.Effect).toBe('Allow');
        if (s.Resource === '*') expect(s.Condition?.StringEquals?.['aws:PrincipalAccount']).toBe('111111111111');
        else expect(JSON.stringify(s.Resource)).not.toContain(':::*');
      }
    }
  });

  test('endpoints of services that allow it also pin resources to this account', () => {
    for (const endpoint of interfaces) {
      const [statement] = statementsOf(endpoint)!;
      const expected = INTERFACE_ENDPOINTS[serviceOf(endpoint)]!.resourcePerimeter ? '111111111111' : undefined;
      expect(statement!.Condition!.StringEquals!['aws:ResourceAccount']).toBe(expected);
    }
    expect(statementsOf(gateway)![0]!.Condition!.StringEquals!['aws:ResourceAccount']).toBe('111111111111');
  });

  test('with an organization id the perimeter is the organization', () => {
    const prod = synthesizeExample('prod');
    const kms = resourcesOfType(prod.json.Network!, 'AWS::EC2::VPCEndpoint').find(([, e]) => serviceOf(e) === 'kms')![1];
    expect(statementsOf(kms)![0]!.Condition!.StringEquals).toEqual({ 'aws:PrincipalOrgID': 'o-a1b2c3d4e5', 'aws:ResourceOrgID': 'o-a1b2c3d4e5' });
  });

  test('the S3 gateway endpoint admits the AWS-owned buckets SSM and the package manager read, read-only', () => {
    const owned = statementsOf(gateway)!.find((s) => s.Sid === 'ReadAwsOwnedBuckets')!;
    expect(owned.Action).toBe('s3:GetObject');
    const text = JSON.stringify(owned.Resource);
    for (const bucket of ['al2023-repos-eu-west-1-de612dc2', 'aws-ssm-eu-west-1', 'amazon-ssm-eu-west-1', 'patch-baseline-snapshot-eu-west-1']) {
      expect(text).toContain(`:s3:::${bucket}/*`);
    }
  });

  test("custom resources may answer CloudFormation only under the ARNs of this environment's stacks", () => {
    const answer = statementsOf(gateway)!.find((s) => s.Sid === 'AnswerCloudFormation')!;
    expect(answer.Action).toBe('s3:PutObject');
    // The put is presigned by CloudFormation, so the object key (the stack ARN) is what narrows it, not the principal.
    expect(answer.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::cloudformation-custom-resource-response-euwest1/arn:', { Ref: 'AWS::Partition' }, ':cloudformation:eu-west-1:111111111111:stack/sra-app-dev-*']],
    });
    // No other statement lets a write reach the response bucket, or any bucket outside the perimeter.
    const writes = statementsOf(gateway)!.filter((s) => s.Sid !== 'AnswerCloudFormation' && JSON.stringify(s.Action).match(/Put|\*/));
    expect(writes.map((s) => s.Condition?.StringEquals?.['aws:ResourceAccount'])).toEqual(['111111111111']);
  });

  test('interface endpoints use private DNS, the app subnets and the endpoint group', () => {
    for (const endpoint of interfaces) {
      expect(endpoint.PrivateDnsEnabled).toBe(true);
      expect(JSON.stringify(endpoint.SubnetIds)).toMatch(/VpcAppSubnet1.*VpcAppSubnet2/);
      expect(JSON.stringify(endpoint.SecurityGroupIds)).toContain('SecurityGroupsEndpoints');
    }
  });

  test('the S3 and DynamoDB gateway routes serve the app subnets only, not the data subnets', () => {
    expect(gateways).toHaveLength(2);
    for (const g of [gateway, dynamoDb]) {
      expect(JSON.stringify(g.RouteTableIds)).not.toContain('VpcData');
      expect(JSON.stringify(g.RouteTableIds)).toMatch(/VpcAppSubnet1RouteTable.*VpcAppSubnet2RouteTable/);
    }
  });

  test("the DynamoDB gateway endpoint admits the perimeter's principals to this account's tables only", () => {
    expect(statementsOf(dynamoDb)).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'dynamodb:*',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':dynamodb:eu-west-1:111111111111:table/*']] },
        Condition: { StringEquals: { 'aws:PrincipalAccount': '111111111111' } },
      }),
    ]);
  });
});
