import { Duration } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeAll } from '../../compliance';
import { authenticatedAction, type LoadBalancerAuthentication } from './load-balancer-auth';

/**
 * TLS policies offered on the HTTPS listener. All allow TLS 1.3 and 1.2 only
 * (Security Hub ELB.17); `fips` uses FIPS 140-3 validated modules,
 * `post-quantum` adds the ML-KEM hybrid key exchange (restricted ciphers).
 */
export const TLS_POLICIES = {
  recommended: elbv2.SslPolicy.RECOMMENDED_TLS,
  fips: elbv2.SslPolicy.FIPS_TLS13_12,
  'post-quantum': elbv2.SslPolicy.TLS13_12_RES_PQ,
  'fips-post-quantum': elbv2.SslPolicy.FIPS_TLS13_12_RES_PQ,
} as const;
export type TlsPolicyName = keyof typeof TLS_POLICIES;

export interface SecureLoadBalancerProps {
  readonly vpc: ec2.IVpc;
  /** The public subnets (internet-facing) or app subnets (internal), in at least two zones (ELB.13). */
  readonly subnets: ec2.SubnetSelection;
  /** Internet-facing or internal. @default true */
  readonly internetFacing?: boolean;
  /**
   * The network tier's load balancer group, which already admits 443 and 80
   * from the allowed sources and sends only to the app group. This construct
   * adds no rule to it, except HTTPS out when `authentication` is set.
   */
  readonly securityGroup: ec2.ISecurityGroup;
  /** Server certificate of the HTTPS listener (from ACM). */
  readonly certificate: acm.ICertificate;
  /** TLS policy of the HTTPS listener. @default 'recommended' (ELBSecurityPolicy-TLS13-1-2-2021-06) */
  readonly tlsPolicy?: TlsPolicyName;
  /** SSE-S3 bucket for access and connection logs, e.g. `LoadBalancerLogBucket`. */
  readonly logBucket: s3.IBucket;
  /** Key prefix of the logs in `logBucket`, without slashes at the ends. @default 'alb' */
  readonly logPrefix?: string;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** Port the app fleet listens on. */
  readonly appPort: number;
  /** Path the target group's health check requests over HTTPS. @default '/health/ready' */
  readonly healthCheckPath?: string;
  /** Consecutive successes before a target is healthy. @default 2 */
  readonly healthyThresholdCount?: number;
  /** Consecutive failures before a target is unhealthy. @default 3 */
  readonly unhealthyThresholdCount?: number;
  /** @default 15 seconds */
  readonly healthCheckInterval?: Duration;
  /** Authenticate users before any request reaches the app. @default - no authentication at the load balancer */
  readonly authentication?: LoadBalancerAuthentication;
  /** Idle timeout of client and target connections. @default 60 seconds */
  readonly idleTimeout?: Duration;
}

/**
 * The application load balancer: HTTPS only (port 80 answers with a permanent
 * redirect), a TLS 1.3/1.2 policy, invalid header fields dropped, the
 * strictest desync mitigation, access and connection logs, deletion
 * protection, optional user authentication, and one target group for the app
 * fleet. Targets are reached over HTTPS too (encryption in transit to the
 * instance; the load balancer does not verify target certificates, so the
 * fleet's self-signed one serves), by security-group reference only.
 */
export class SecureLoadBalancer extends Construct implements ec2.IConnectable {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly httpsListener: elbv2.ApplicationListener;
  readonly httpListener: elbv2.ApplicationListener;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** Key prefixes of the access and connection logs in the log bucket (no slashes at the ends). */
  readonly accessLogPrefix: string;
  readonly connectionLogPrefix: string;
  /** The load balancer's group, as given. */
  readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: SecureLoadBalancerProps) {
    super(scope, id);
    const tlsPolicy = props.tlsPolicy ?? 'recommended';
    if (!(tlsPolicy in TLS_POLICIES)) {
      throw new Error(`${this.node.path}: tlsPolicy must be one of ${Object.keys(TLS_POLICIES).join(', ')} (got ${JSON.stringify(tlsPolicy)})`);
    }
    if (!Number.isInteger(props.appPort) || props.appPort < 1 || props.appPort > 65535) {
      throw new Error(`${this.node.path}: appPort must be a port number from 1 to 65535 (got ${props.appPort})`);
    }
    const prefix = props.logPrefix ?? 'alb';
    if (/^\/|\/$/.test(prefix) || prefix.includes('AWSLogs')) {
      throw new Error(`${this.node.path}: logPrefix must not start or end with "/" nor contain "AWSLogs" (got ${JSON.stringify(prefix)})`);
    }
    this.connections = new ec2.Connections({ securityGroups: [props.securityGroup], defaultPort: ec2.Port.tcp(443) });

    // The network tier owns the group's rules: an immutable view keeps the ALB
    // and target attachment from adding their own (listeners' "open", target ingress).
    const group = ec2.SecurityGroup.fromSecurityGroupId(this, 'Group', props.securityGroup.securityGroupId, { mutable: false, allowAllOutbound: false });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Resource', {
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      internetFacing: props.internetFacing ?? true,
      securityGroup: group,
      ipAddressType: elbv2.IpAddressType.IPV4,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: elbv2.DesyncMitigationMode.STRICTEST,
      deletionProtection: props.deletionProtection ?? true,
      http2Enabled: true,
      idleTimeout: props.idleTimeout ?? Duration.seconds(60),
      xffHeaderProcessingMode: elbv2.XffHeaderProcessingMode.APPEND,
    });
    // Written out, as the L2 renders this attribute only when true: requests are never let through when WAF cannot inspect them.
    this.loadBalancer.setAttribute('waf.fail_open.enabled', 'false');
    this.accessLogPrefix = prefix;
    this.connectionLogPrefix = `${prefix}-connections`;
    this.loadBalancer.logAccessLogs(props.logBucket, this.accessLogPrefix);
    this.loadBalancer.logConnectionLogs(props.logBucket, this.connectionLogPrefix);

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'AppTargets', {
      vpc: props.vpc,
      targetType: elbv2.TargetType.INSTANCE,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      protocolVersion: elbv2.ApplicationProtocolVersion.HTTP1,
      port: props.appPort,
      deregistrationDelay: Duration.seconds(30),
      healthCheck: {
        path: props.healthCheckPath ?? '/health/ready',
        protocol: elbv2.Protocol.HTTPS,
        port: 'traffic-port',
        healthyHttpCodes: '200',
        healthyThresholdCount: props.healthyThresholdCount ?? 2,
        unhealthyThresholdCount: props.unhealthyThresholdCount ?? 3,
        interval: props.healthCheckInterval ?? Duration.seconds(15),
        timeout: Duration.seconds(5),
      },
    });

    const forward = elbv2.ListenerAction.forward([this.targetGroup]);
    this.httpsListener = this.loadBalancer.addListener('Https', {
      protocol: elbv2.ApplicationProtocol.HTTPS,
      port: 443,
      certificates: [elbv2.ListenerCertificate.fromCertificateManager(props.certificate)],
      sslPolicy: TLS_POLICIES[tlsPolicy],
      open: false,
      defaultAction: props.authentication ? authenticatedAction(this, props.authentication, forward) : forward,
    });
    this.httpListener = this.loadBalancer.addListener('Http', {
      protocol: elbv2.ApplicationProtocol.HTTP,
      port: 80,
      open: false,
      defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
    });
    acknowledgeAll(
      this.httpListener,
      ['NIST.800.53.R5-ELBv2ACMCertificateRequired', 'PCI.DSS.321-ELBv2ACMCertificateRequired', 'HIPAA.Security-ELBv2ACMCertificateRequired'],
      'The port 80 listener only answers with a permanent redirect to HTTPS (Security Hub ELB.1) and serves no content; Elastic Load Balancing accepts no certificate on an HTTP listener',
    );

    if (props.authentication) {
      // The ALB itself calls the IdP's token and user-info endpoints, which have no fixed addresses.
      props.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'Load balancer to the identity provider (user authentication)');
    }
  }
}
