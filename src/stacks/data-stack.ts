import { Aws, Stack, type StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import type { Construct } from 'constructs';
import { acknowledgeAll } from '../compliance';
import type { EnvironmentSettings } from '../config';
import { AuroraDatabase } from '../constructs/data/aurora-database';
import { classify, clearanceStatement, grantClearance } from '../constructs/data/classification';
import { DataBackup } from '../constructs/data/data-backup';
import { DataBucket } from '../constructs/data/data-bucket';
import { DatabaseBootstrap } from '../constructs/data/database-bootstrap';
import { ServiceSecret } from '../constructs/data/service-secret';
import { TokenVault } from '../constructs/data/token-vault';
import { executionRoleArn } from '../constructs/keys/key-ring';
import { CloudHsmCluster } from '../constructs/keys/cloudhsm-cluster';
import type { NetworkStack } from './network-stack';
import type { SecurityStack } from './security-stack';

export interface DataStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
  readonly security: SecurityStack;
  readonly network: NetworkStack;
}

/**
 * The stateful tier: Aurora, its secret, the application data bucket and
 * AWS Backup. Everything here is retained or snapshotted on removal, and every
 * data resource carries its classification and owner.
 */
export class DataStack extends Stack {
  readonly database: AuroraDatabase;
  readonly bucket: DataBucket;
  readonly backup: DataBackup;
  readonly hsm?: CloudHsmCluster;
  /** The service's signing key, read by the fleet only. */
  readonly serviceSecret: ServiceSecret;
  /** Sensitive values the service replaces by tokens. */
  readonly tokenVault: TokenVault;
  /** The service's database role, schema and grants (PostgreSQL only). */
  readonly bootstrap?: DatabaseBootstrap;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { settings, security, network } = props;
    const keys = security.keys;
    const vpc = network.workloadVpc;
    const name = `${settings.appName}-${settings.name}`;

    this.backup = new DataBackup(this, 'Backup', {
      vaultName: name,
      key: keys.backup,
      sourceKeys: [...new Set([keys.data, keys.databaseKey])],
      retention: settings.profile.backupPlan,
      lock: settings.profile.vaultLock,
      copyToVaultArn: settings.backup.copyToVaultArn,
    });

    const capacity = settings.profile.database;
    this.database = new AuroraDatabase(this, 'Database', {
      engine: settings.data.engine,
      clusterIdentifier: name,
      databaseName: settings.data.databaseName,
      adminUsername: settings.data.adminUsername,
      appUsername: settings.data.appUsername,
      vpc: vpc.vpc,
      subnets: vpc.subnets('data'),
      availabilityZones: settings.network.availabilityZones,
      securityGroup: network.securityGroups.database,
      capacity: capacity.kind === 'provisioned' && settings.data.instanceClass ? { ...capacity, instanceClass: settings.data.instanceClass } : capacity,
      dataKey: keys.databaseKey,
      secretsKey: keys.secrets,
      logsKey: keys.logs,
      logRetentionDays: settings.network.flowLogs.retentionDays,
      backupRetentionDays: settings.profile.backupRetentionDays,
    });

    this.backup.protect('Database', [backup.BackupResource.fromRdsDatabaseCluster(this.database.cluster)]);
    acknowledgeAll(
      this.database,
      ['NIST.800.53.R5-RDSInBackupPlan', 'HIPAA.Security-RDSInBackupPlan'],
      'AWS Backup protects Aurora per cluster, and the cluster is named in the plan; the rule looks for member instances, which AWS Backup cannot back up on their own',
    );

    const lock = settings.data.objectLock;
    this.bucket = new DataBucket(this, 'Bucket', {
      bucketName: `${name}-data-${settings.account}-${settings.region}`,
      key: keys.data,
      accessLogs: security.logArchive.accessLogBucket,
      gatewayEndpointId: network.endpoints.s3.vpcEndpointId,
      // Not the deployment role: CloudFormation manages the bucket, never its objects.
      exemptRoleArns: [...settings.keys.administratorRoleArns, this.backup.role.roleArn],
      noncurrentVersionDays: settings.data.noncurrentVersionDays,
      objectLock: lock.enabled ? { mode: lock.mode, days: lock.days } : undefined,
      classification: settings.data.classification,
    });

    const retention = settings.network.flowLogs.retentionDays;
    if (settings.data.engine === 'aurora-postgresql') {
      this.bootstrap = new DatabaseBootstrap(this, 'DatabaseBootstrap', {
        engine: settings.data.engine,
        masterSecret: this.database.secret,
        masterSecretKey: keys.secrets,
        host: this.database.cluster.clusterEndpoint.hostname,
        port: settings.data.port,
        databaseName: settings.data.databaseName,
        appUsername: settings.data.appUsername,
        // The service's migrations address this schema by name (service/src/db/grants.ts APP_SCHEMA).
        schema: 'app',
        vpc: vpc.vpc,
        subnets: vpc.subnets('app'),
        database: this.database,
        key: keys.operations,
        logsKey: keys.logs,
        logRetentionDays: retention,
        // The writer instance: the cluster itself is already referenced, but statements need an instance up.
        dependsOn: [this.database.cluster.node.findChild('Writer')],
      });
    }

    // The master secret: administrators and the bootstrap function only (RDS itself rotates it).
    this.database.restrictMasterSecret([...settings.keys.administratorRoleArns, ...(this.bootstrap ? [this.bootstrap.function.role.roleArn] : [])]);

    // Named after the stage's Application stack, which this stack cannot reference (it depends on this one).
    const applicationRoles = `arn:${Aws.PARTITION}:iam::${settings.account}:role/${name}-application-*`;
    this.serviceSecret = new ServiceSecret(this, 'ServiceSecret', {
      description: `${name} documents service: download-link signing key`,
      key: keys.secrets,
      rotationDays: settings.data.rotationDays,
      readers: [...keys.administratorRoleArns, applicationRoles],
      vpc: vpc.vpc,
      subnets: vpc.subnets('app'),
      functionKey: keys.operations,
      logsKey: keys.logs,
      logRetentionDays: retention,
    });

    this.tokenVault = new TokenVault(this, 'TokenVault', {
      key:
        keys.mode === 'local'
          ? { kind: 'own', alias: `${settings.appName}/${settings.name}/token-vault`, administrators: settings.keys.administratorRoleArns, deploymentRole: executionRoleArn(this, settings.deployment) }
          : { kind: 'existing', key: keys.data },
      classification: settings.data.classification,
      owner: settings.data.owner,
    });
    this.backup.protect('TokenVault', [backup.BackupResource.fromDynamoDbTable(this.tokenVault.table)]);

    const hsm = settings.keys.cloudHsm;
    if (hsm.enabled) {
      this.hsm = new CloudHsmCluster(this, 'CloudHsm', {
        vpc: vpc.vpc,
        hsmSubnets: vpc.subnets('data'),
        functionSubnets: vpc.subnets('app'),
        clients: [network.securityGroups.app],
        hsmCount: hsm.hsmCount,
        backupRetentionDays: hsm.backupRetentionDays,
        key: keys.secrets,
        logsKey: keys.logs,
        logRetentionDays: settings.network.flowLogs.retentionDays,
      });
    }

    // Classification drives access: the roles of this tier that touch the data carry the clearance, and the data
    // keys refuse direct use by principals without it (the S3 path is the bucket policy's; a central key's owner adds the same).
    const classification = settings.data.classification;
    grantClearance(this.backup.role, classification);
    if (this.bootstrap) grantClearance(this.bootstrap.function.role, classification);
    const keyUse = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'];
    for (const key of new Set([keys.data, this.tokenVault.key])) {
      const cleared = clearanceStatement(classification, keyUse, ['*'], true);
      if (cleared) key.addToResourcePolicy(cleared);
    }

    classify(this.database, settings.data.classification, settings.data.owner);
    classify(this.bucket, settings.data.classification, settings.data.owner);
    classify(this.backup.vault, settings.data.classification, settings.data.owner);
    classify(this.serviceSecret, settings.data.classification, settings.data.owner);
  }
}
