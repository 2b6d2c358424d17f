import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { INTERFACE_ENDPOINTS } from '../../config/endpoints';
import { dynamoDbGatewayStatements, interfaceEndpointStatements, s3GatewayStatements, type Perimeter } from './endpoint-policies';

export interface ServiceEndpointsProps {
  readonly vpc: ec2.IVpc;
  /** Subnets the interface endpoints and the S3 gateway route serve. */
  readonly subnets: ec2.SubnetSelection;
  readonly securityGroup: ec2.ISecurityGroup;
  /** Interface endpoint names, e.g. `kms`, `ssm`. */
  readonly interfaceEndpoints: readonly string[];
  readonly perimeter: Perimeter;
  readonly region: string;
  /** Names of the stacks whose custom resources answer CloudFormation through the S3 gateway, e.g. `sra-dev-`. */
  readonly stackNamePrefix: string;
  /** Whether to add the DynamoDB gateway endpoint (free) for workloads that use tables. @default false */
  readonly dynamoDbGateway?: boolean;
}

/**
 * The S3 and DynamoDB gateway endpoints and the interface endpoints, all with private DNS
 * and every one with an endpoint policy that admits only the account (or
 * organization) instead of the default full-access policy.
 */
export class ServiceEndpoints extends Construct {
  readonly s3: ec2.GatewayVpcEndpoint;
  /** Free, like S3's: the token vault's table is reached without NAT. */
  readonly dynamoDb?: ec2.GatewayVpcEndpoint;
  readonly interfaces: Readonly<Record<string, ec2.InterfaceVpcEndpoint>>;

  constructor(scope: Construct, id: string, props: ServiceEndpointsProps) {
    super(scope, id);
    this.s3 = new ec2.GatewayVpcEndpoint(this, 'S3', {
      vpc: props.vpc,
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: [props.subnets],
    });
    for (const statement of s3GatewayStatements(props.perimeter, props.region, props.stackNamePrefix)) this.s3.addToPolicy(statement);
    if (props.dynamoDbGateway) {
      this.dynamoDb = new ec2.GatewayVpcEndpoint(this, 'DynamoDb', {
        vpc: props.vpc,
        service: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
        subnets: [props.subnets],
      });
      for (const statement of dynamoDbGatewayStatements(props.perimeter, props.region)) this.dynamoDb.addToPolicy(statement);
    }

    const interfaces: Record<string, ec2.InterfaceVpcEndpoint> = {};
    for (const name of props.interfaceEndpoints) {
      const spec = INTERFACE_ENDPOINTS[name];
      if (!spec) throw new Error(`unknown interface endpoint ${name}`);
      const endpoint = new ec2.InterfaceVpcEndpoint(this, endpointId(name), {
        vpc: props.vpc,
        service: new ec2.InterfaceVpcEndpointAwsService(name),
        subnets: props.subnets,
        privateDnsEnabled: true,
        securityGroups: [props.securityGroup],
        open: false,
      });
      for (const statement of interfaceEndpointStatements(props.perimeter, spec.resourcePerimeter)) endpoint.addToPolicy(statement);
      interfaces[name] = endpoint;
    }
    this.interfaces = interfaces;
  }
}

/** `ecr.dkr` → `EcrDkr`: a stable construct id per service. */
function endpointId(name: string): string {
  return name
    .split(/[.-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
