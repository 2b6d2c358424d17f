import { Aws, Stack, type StackProps } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledge } from '../compliance';
import type { EnvironmentSettings } from '../config';
import { AppFleet } from '../constructs/compute/app-fleet';
import { FleetImageRefresh } from '../constructs/compute/fleet-image-refresh';
import { InspectorScanning } from '../constructs/compute/inspector-scanning';
import { BUNDLE_CA, ServiceAsset } from '../constructs/compute/service-asset';
import { SERVICE_DIR } from '../constructs/compute/fleet-user-data';
import { OsBaseline } from '../constructs/compute/os-baseline';
import { SystemsManager } from '../constructs/compute/systems-manager';
import { ServerCertificate } from '../constructs/edge/certificate';
import { SecureLoadBalancer } from '../constructs/edge/load-balancer';
import { LoadBalancerLogBucket } from '../constructs/edge/load-balancer-log-bucket';
import { ShieldAdvanced } from '../constructs/edge/shield-advanced';
import { WebAcl } from '../constructs/edge/web-acl';
import { AutoScalingKeyGrant } from '../constructs/keys/auto-scaling-key-grant';
import { FleetMirroring } from '../constructs/network/fleet-mirroring';
import { grantClearance } from '../constructs/data/classification';
import { protectLogBucket } from '../constructs/storage/log-protection';
import { acknowledgeInRegionLogs } from '../constructs/storage/log-replication';
import { SecureBucket } from '../constructs/storage/secure-bucket';
import type { DataStack } from './data-stack';
import type { DetectionStack } from './detection-stack';
import type { ImageStack } from './image-stack';
import type { NetworkStack } from './network-stack';
import type { SecurityStack } from './security-stack';

export interface ApplicationStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
  readonly security: SecurityStack;
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly detection: DetectionStack;
  /** The hardened image's pipeline; absent when the fleet boots the public Amazon Linux 2023 image. */
  readonly image?: ImageStack;
}

/**
 * The front half of the SRA application account: certificate, HTTPS load
 * balancer behind WAF, the IMDSv2 app fleet running the documents service and
 * managed by Systems Manager, and Inspector. The fleet gets exactly its
 * database user, its bucket prefix, its secret and the token vault's tokenize
 * permission.
 */
export class ApplicationStack extends Stack {
  readonly loadBalancer: SecureLoadBalancer;
  readonly fleet: AppFleet;
  readonly systemsManager: SystemsManager;
  readonly service: ServiceAsset;
  /** The load balancer's access and connection logs. */
  readonly loadBalancerLogBucket: s3.IBucket;
  /** WAF logs, when they go to S3 (`application.waf.logDestination: s3`). */
  readonly wafLogs?: { readonly bucket: s3.IBucket; readonly webAclName: string };

  constructor(scope: Construct, id: string, props: ApplicationStackProps) {
    super(scope, id, props);
    const { settings, security, network, data, detection, image } = props;
    // The launch template names the image parameter, which the Image stack creates.
    if (image) this.addStackDependency(image);
    const app = settings.application;
    const keys = security.keys;
    const vpc = network.workloadVpc;
    const retention = settings.network.flowLogs.retentionDays;
    const name = `${settings.appName}-${settings.name}`;

    const certificate = new ServerCertificate(this, 'Certificate', {
      source: app.certificate,
      expiryTarget: detection.routing.target()[0],
      // The detection stack's Config catalog already runs acm-certificate-expiration-check for the account.
      expiryConfigRule: false,
    });

    const logBucket = new LoadBalancerLogBucket(this, 'LoadBalancerLogs', { accessLogBucket: security.logArchive.accessLogBucket, retentionDays: retention });
    this.loadBalancerLogBucket = logBucket.bucket;
    protectLogBucket(logBucket.bucket, security.logArchive.protection);
    this.loadBalancer = new SecureLoadBalancer(this, 'LoadBalancer', {
      vpc: vpc.vpc,
      subnets: vpc.subnets(app.internetFacing ? 'public' : 'app'),
      internetFacing: app.internetFacing,
      securityGroup: network.securityGroups.loadBalancer,
      certificate: certificate.certificate,
      tlsPolicy: app.tlsPolicy,
      logBucket: logBucket.deliveryTarget,
      appPort: app.port,
      healthCheckPath: app.healthCheckPath,
      deletionProtection: true,
      authentication: app.authentication.kind === 'oidc' ? app.authentication : undefined,
    });
    // ELB checks it may write when logging is switched on: the bucket policy comes first.
    this.loadBalancer.loadBalancer.node.addDependency(logBucket.bucket.policy!);

    const waf = app.waf;
    const wafLogBucket = waf.logDestination === 's3' ? this.wafLogBucket(name, settings, security, retention) : undefined;
    if (wafLogBucket) this.wafLogs = { bucket: wafLogBucket, webAclName: name };
    const webAcl = new WebAcl(this, 'WebAcl', {
      loadBalancerArn: this.loadBalancer.loadBalancer.loadBalancerArn,
      name,
      rateLimit: waf.rateLimit,
      ipLists: { deny: nonEmpty(waf.blockCidrs), allow: nonEmpty(waf.allowCidrs) },
      geoLists: { deny: nonEmpty(waf.blockCountries), allow: nonEmpty(waf.allowCountries) },
      logging:
        wafLogBucket ? { kind: 's3', bucket: wafLogBucket } : { kind: 'cloudWatchLogs', key: keys.logs, retentionDays: retention },
    });

    if (app.shieldAdvanced?.enabled) {
      const shieldSettings = app.shieldAdvanced;
      new ShieldAdvanced(this, 'Shield', {
        name,
        loadBalancer: this.loadBalancer.loadBalancer,
        targetGroup: this.loadBalancer.targetGroup,
        webAcl: webAcl.webAcl,
        webAclAssociation: webAcl.association,
        automaticMitigation: shieldSettings.automaticMitigation,
        responseTeamAccess: shieldSettings.responseTeamAccess,
        logBuckets: [logBucket.bucket],
        emergencyContacts: shieldSettings.proactiveEngagement ? shieldSettings.emergencyContacts : [],
        alarmTopic: detection.routing.topic,
      });
    }

    this.service = new ServiceAsset(this, 'Service');
    const size = app.fleet ?? settings.profile.fleet;
    this.fleet = new AppFleet(this, 'Fleet', {
      fleetName: name,
      vpc: vpc.vpc,
      subnets: vpc.subnets('app'),
      securityGroup: network.securityGroups.app,
      appPort: app.port,
      healthCheckPath: app.healthCheckPath,
      targetGroup: this.loadBalancer.targetGroup,
      service: this.service,
      serviceEnvironment: this.serviceEnvironment(settings, data, keys.data),
      volumeKey: keys.data,
      logsKey: keys.logs,
      logRetentionDays: retention,
      classification: settings.data.classification,
      owner: settings.data.owner,
      instanceType: app.instanceType,
      minCapacity: size.min,
      maxCapacity: size.max,
      desiredCapacity: size.desired,
      serviceLinkedRoleArn: keys.autoScalingRoleArn,
      imageParameterName: image?.pipeline.parameterName,
    });
    const mirroring = settings.network.trafficMirroring;
    if (mirroring.fleet && network.trafficMirroring) {
      new FleetMirroring(this, 'FleetMirroring', {
        fleetName: name,
        autoScalingGroup: this.fleet.autoScalingGroup,
        vpc: vpc.vpc,
        subnets: vpc.subnets('app'),
        targetId: network.trafficMirroring.target.ref,
        filterId: network.trafficMirroring.filter.ref,
        sessionNumber: mirroring.sessionNumber,
        virtualNetworkId: mirroring.virtualNetworkId,
        key: keys.operations,
        logsKey: keys.logs,
        logRetentionDays: retention,
        alarmTopic: detection.routing.topic,
      });
    }
    if (image) {
      new FleetImageRefresh(this, 'ImageRefresh', {
        group: this.fleet.autoScalingGroup,
        parameterName: image.pipeline.parameterName,
        minHealthyPercentage: app.image.refreshMinHealthyPercent,
        vpc: vpc.vpc,
        subnets: vpc.subnets('app'),
        key: keys.operations,
        logsKey: keys.logs,
        logRetentionDays: retention,
      });
    }
    if (keys.autoScalingNeedsGrant) {
      // Here rather than with the key ring: the handler runs in the VPC, which the Network stack creates after it.
      const grant = new AutoScalingKeyGrant(this, 'FleetKeyGrant', {
        key: keys.data,
        serviceLinkedRoleArn: keys.autoScalingRoleArn,
        name: `${name}-auto-scaling-volumes`,
        vpc: vpc.vpc,
        subnets: vpc.subnets('app'),
        operationsKey: keys.operations,
        logsKey: keys.logs,
        logRetentionDays: retention,
      });
      this.fleet.autoScalingGroup.node.addDependency(grant.resource);
    }
    // Exactly its database user (IAM authentication), its prefix of the data bucket, its own secret, and
    // tokenize on the vault (detokenize stays with no one here: the service never reads a value back).
    data.database.grantConnect(this.fleet.role);
    data.bucket.grantReadWrite(this.fleet.role, SERVICE_BUCKET_PREFIX);
    data.serviceSecret.grantRead(this.fleet.role);
    data.tokenVault.grantTokenize(this.fleet.role);
    grantClearance(this.fleet.role, settings.data.classification);
    acknowledge(this.fleet.role, {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${data.bucket.bucketName}/app/*]`,
      reason: 'The fleet reads and writes only objects under the app/ prefix of the data bucket; object keys are the application data, unknown in advance',
    });

    this.systemsManager = new SystemsManager(this, 'SystemsManager', {
      name,
      target: { key: this.fleet.fleetTag.key, values: [this.fleet.fleetTag.value] },
      sessionKey: keys.operations,
      logsKey: keys.logs,
      logRetentionDays: retention,
      idleSessionTimeoutMinutes: app.sessionIdleTimeoutMinutes,
      adoptSessionPreferences: settings.existingResources.sessionManagerPreferences === 'adopt',
      approveAfterDays: app.patching.approveAfterDays,
      installSchedule: app.patching.installSchedule,
    });
    this.systemsManager.grantInstanceAccess(this.fleet.role);
    if (app.osBaseline.enabled) {
      new OsBaseline(this, 'OsBaseline', {
        name,
        target: { key: this.fleet.fleetTag.key, values: [this.fleet.fleetTag.value] },
        appPort: app.port,
        // Health checks and requests come from the load balancer's nodes, in its subnets.
        loadBalancerCidrs: settings.network.subnets[app.internetFacing ? 'public' : 'app'],
        schedule: app.osBaseline.schedule,
      });
    }

    new InspectorScanning(this, 'Inspector', {
      // In organization mode Inspector is the delegated administrator's.
      enabled: settings.mode === 'standalone',
      // The fleet (EC2), and the account's Lambda functions and their code; ECR so an image pushed later is scanned at once.
      scanTypes: ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE'],
      cisScan: settings.detection.cisScan.enabled
        ? { name: `${name}-fleet-cis`, tag: this.fleet.fleetTag, level: settings.detection.cisScan.level, schedule: settings.detection.cisScan.schedule }
        : undefined,
      vpc: vpc.vpc,
      subnets: vpc.subnets('app'),
      key: keys.operations,
      logsKey: keys.logs,
      logRetentionDays: retention,
    });
  }

  /**
   * The service's settings, written to its environment file at boot. Deploy-time values
   * (endpoint, names, ARNs) are CloudFormation references resolved into the user data.
   */
  private serviceEnvironment(settings: EnvironmentSettings, data: DataStack, dataKey: IKey): Record<string, string> {
    const auth = settings.application.authentication;
    return {
      ENVIRONMENT_PROFILE: settings.profileName,
      AWS_REGION: Aws.REGION,
      DB_HOST: data.database.cluster.clusterEndpoint.hostname,
      DB_PORT: String(settings.data.port),
      DB_NAME: settings.data.databaseName,
      DB_USER: settings.data.appUsername,
      DB_CA_FILE: `${SERVICE_DIR}/${BUNDLE_CA}`,
      DB_AUTH: 'iam',
      BUCKET_NAME: data.bucket.bucketName,
      BUCKET_PREFIX: SERVICE_BUCKET_PREFIX,
      DATA_KEY_ARN: dataKey.keyArn,
      SIGNING_SECRET_ARN: data.serviceSecret.secret.secretArn,
      TOKEN_TABLE_NAME: data.tokenVault.table.tableName,
      TOKEN_KEY_ARN: data.tokenVault.key.keyArn,
      DATA_CLASSIFICATION: settings.data.classification,
      // Without user authentication at the load balancer the service has no identity to trust:
      // it serves its health endpoints and refuses every document request.
      ...(auth.kind === 'oidc'
        ? { AUTH_MODE: 'alb-oidc', ALB_ARN: this.loadBalancer.loadBalancer.loadBalancerArn, OIDC_CLIENT_ID: auth.clientId, OIDC_ISSUER: auth.issuer }
        : { AUTH_MODE: 'none' }),
    };
  }

  /** WAF delivers to S3 only into buckets named `aws-waf-logs-*`. */
  private wafLogBucket(name: string, settings: EnvironmentSettings, security: SecurityStack, retention: number) {
    const bucket = new SecureBucket(this, 'WafLogs', {
      bucketName: `aws-waf-logs-${name}-${settings.account}-${settings.region}`,
      encryption: { kind: 'kms', key: security.keys.logs },
      serverAccessLogs: { bucket: security.logArchive.accessLogBucket, prefix: 'waf-logs/' },
      expireAfterDays: retention,
      archiveAfterDays: 90,
    });
    acknowledgeInRegionLogs(bucket);
    protectLogBucket(bucket.bucket, security.logArchive.protection);
    return bucket.bucket;
  }
}

/** The service's prefix of the data bucket; it may touch nothing else there. */
const SERVICE_BUCKET_PREFIX = 'app/';

/** The WAF construct takes a list only when there is something in it. */
function nonEmpty<T>(list: readonly T[] | undefined): readonly T[] | undefined {
  return list && list.length > 0 ? list : undefined;
}
