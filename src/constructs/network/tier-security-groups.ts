import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance';

export interface TierSecurityGroupsProps {
  readonly vpc: ec2.IVpc;
  /** The VPC's CIDR as a literal, so rule packs can read the endpoint rule. */
  readonly vpcCidr: string;
  /** Sources allowed to reach the load balancer. */
  readonly ingressCidrs: readonly string[];
  readonly appPort: number;
  readonly databasePort: number;
}

/**
 * The security groups of the three tiers and of the interface endpoints,
 * chained by group reference rather than CIDR: load balancer → app on the app
 * port, app → database on the database port, app → endpoints on 443, and the
 * secret-rotation function → database and endpoints. No group allows all
 * outbound traffic; each says exactly where it may send.
 */
export class TierSecurityGroups extends Construct {
  readonly loadBalancer: ec2.SecurityGroup;
  readonly app: ec2.SecurityGroup;
  readonly database: ec2.SecurityGroup;
  readonly endpoints: ec2.SecurityGroup;
  /** The database secret's rotation function. */
  readonly rotation: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: TierSecurityGroupsProps) {
    super(scope, id);
    const group = (name: string, description: string) =>
      new ec2.SecurityGroup(this, name, { vpc: props.vpc, description, allowAllOutbound: false });

    this.loadBalancer = group('LoadBalancer', 'Application Load Balancer: HTTPS from the allowed sources, HTTP only to redirect');
    this.app = group('App', 'App fleet: the app port from the load balancer only');
    this.database = group('Database', 'Aurora: the database port from the app fleet only');
    this.endpoints = group('Endpoints', 'Interface endpoints: HTTPS from inside the VPC only');
    this.rotation = group('Rotation', 'Database secret rotation: the database port and the Secrets Manager endpoint only');

    for (const cidr of props.ingressCidrs) {
      this.loadBalancer.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS from allowed sources');
      this.loadBalancer.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(80), 'HTTP, redirected to HTTPS by the listener');
    }
    if (props.ingressCidrs.includes('0.0.0.0/0')) {
      acknowledge(this.loadBalancer, {
        id: 'AwsSolutions-EC23',
        reason:
          'Internet-facing load balancer: it must accept 443 (and 80, which only redirects) from anywhere; WAF filters the requests and the group sends only to the app port of the app group',
      });
    }
    this.loadBalancer.connections.allowTo(this.app, ec2.Port.tcp(props.appPort), 'to the app fleet');
    this.app.connections.allowTo(this.database, ec2.Port.tcp(props.databasePort), 'to Aurora');
    this.app.connections.allowTo(this.endpoints, ec2.Port.tcp(443), 'to AWS APIs through interface endpoints');
    this.rotation.connections.allowTo(this.database, ec2.Port.tcp(props.databasePort), 'master secret rotation');
    this.rotation.connections.allowTo(this.endpoints, ec2.Port.tcp(443), 'Secrets Manager through its endpoint');
    // The gateway endpoints (S3, DynamoDB) and anything through NAT: the network stack adds them from ApiAccess,
    // by prefix list and by the services the fleet calls, never as HTTPS to 0.0.0.0/0 when every one has an endpoint.
    this.endpoints.addIngressRule(ec2.Peer.ipv4(props.vpcCidr), ec2.Port.tcp(443), 'HTTPS from inside the VPC');
  }
}
