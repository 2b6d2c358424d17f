import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance';
import { restrictSecret } from './secret-perimeter';
import { arnOfThisAccount, servicePrincipalForThisAccount } from '../lambda/service-trust';

export type AuroraCapacity =
  | { readonly kind: 'serverless'; readonly minCapacity: number; readonly maxCapacity: number }
  | { readonly kind: 'provisioned'; readonly instanceClass: string; readonly readers: number };

export interface AuroraDatabaseProps {
  readonly engine: 'aurora-postgresql' | 'aurora-mysql';
  /** Cluster identifier; fixed, because RDS log groups are named after it. */
  readonly clusterIdentifier: string;
  readonly databaseName: string;
  readonly adminUsername: string;
  /** The database user the app connects as with IAM authentication. */
  readonly appUsername: string;
  readonly vpc: ec2.IVpc;
  /** The isolated data subnets. */
  readonly subnets: ec2.SubnetSelection;
  /** Zones to place the writer and readers in, writer first. */
  readonly availabilityZones: readonly string[];
  /** The tier security group that admits only the app fleet. */
  readonly securityGroup: ec2.ISecurityGroup;
  readonly capacity: AuroraCapacity;
  /** Storage and Performance Insights. */
  readonly dataKey: kms.IKey;
  /** The master secret. */
  readonly secretsKey: kms.IKey;
  /** Exported database logs. */
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
  readonly backupRetentionDays: number;
}

const LOG_EXPORTS = { 'aurora-postgresql': ['postgresql'], 'aurora-mysql': ['audit', 'error', 'general', 'slowquery'] } as const;

/**
 * Aurora in the isolated subnets with every control chosen explicitly: storage
 * and Performance Insights encrypted with the data key, IAM database
 * authentication, TLS forced by the cluster parameter group, a custom master
 * user whose password RDS keeps in Secrets Manager (encrypted with the
 * secrets key) and rotates itself, with no rotation function and no nested
 * application stack outside the compliance gate, deletion protection, snapshot on
 * removal, tags copied to snapshots, automatic minor upgrades, Enhanced
 * Monitoring, and logs exported to KMS-encrypted groups with retention.
 */
export class AuroraDatabase extends Construct implements ec2.IConnectable {
  readonly cluster: rds.DatabaseCluster;
  readonly secret: secretsmanager.ISecret;
  readonly connections: ec2.Connections;
  private readonly appUsername: string;

  constructor(scope: Construct, id: string, props: AuroraDatabaseProps) {
    super(scope, id);
    this.appUsername = props.appUsername;
    const postgres = props.engine === 'aurora-postgresql';
    const port = postgres ? 5432 : 3306;
    const engine = postgres
      ? rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_17_7 })
      : rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_10_4 });

    const parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      // The description is create-only (a new one would replace the group); it predates the audit settings.
      description: 'TLS 1.2+ only, connections logged',
      // Parameters update in place; shared_preload_libraries is static and takes effect at the next reboot.
      parameters: postgres
        ? {
            'rds.force_ssl': '1',
            ssl_min_protocol_version: 'TLSv1.2',
            log_connections: '1',
            log_disconnections: '1',
            // pgaudit: schema changes, role and privilege changes, and every write, to the exported postgresql log.
            shared_preload_libraries: 'pg_stat_statements,pgaudit',
            'pgaudit.log': 'ddl,role,write',
            'pgaudit.role': 'rds_pgaudit',
            // Statement text only: bound values would copy the data itself (tokenized fields included) into the logs.
            'pgaudit.log_parameter': '0',
            'pgaudit.log_catalog': '0',
          }
        : {
            require_secure_transport: 'ON',
            tls_version: 'TLSv1.2,TLSv1.3',
            // Advanced Auditing (server_audit): connections, DDL, privilege changes and writes (the pgaudit equivalent).
            server_audit_logging: '1',
            server_audit_events: 'CONNECT,QUERY_DCL,QUERY_DDL,QUERY_DML_NO_SELECT',
            general_log: '1',
            slow_query_log: '1',
            log_output: 'FILE',
          },
    });

    // Created here, before the cluster, so they are encrypted and expire; RDS writes to the groups named after the cluster.
    const logGroups = LOG_EXPORTS[props.engine].map(
      (type) =>
        new logs.LogGroup(this, `Logs-${type}`, {
          logGroupName: `/aws/rds/cluster/${props.clusterIdentifier}/${type}`,
          encryptionKey: props.logsKey,
          retention: props.logRetentionDays as logs.RetentionDays,
          removalPolicy: RemovalPolicy.RETAIN,
        }),
    );

    const monitoringRole = new iam.Role(this, 'MonitoringRole', {
      // Enhanced Monitoring sends the instance as source (RDS user guide, "Protecting against the confused deputy problem").
      assumedBy: servicePrincipalForThisAccount('monitoring.rds.amazonaws.com', arnOfThisAccount('rds', 'db:*')),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonRDSEnhancedMonitoringRole')],
      description: 'Enhanced Monitoring: publishes OS metrics to the RDSOSMetrics log group',
    });
    acknowledge(monitoringRole, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
      reason: 'The AWS-maintained Enhanced Monitoring policy only lets RDS write to the RDSOSMetrics log group; a copy would drift from what RDS needs',
    });

    const [writerZone, ...readerZones] = props.availabilityZones;
    const instance = (name: string, zone: string | undefined) =>
      props.capacity.kind === 'serverless'
        ? rds.ClusterInstance.serverlessV2(name, { autoMinorVersionUpgrade: true, availabilityZone: zone })
        : rds.ClusterInstance.provisioned(name, {
            instanceType: new ec2.InstanceType(props.capacity.instanceClass),
            autoMinorVersionUpgrade: true,
            availabilityZone: zone,
          });
    const readerCount = props.capacity.kind === 'provisioned' ? props.capacity.readers : 0;

    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine,
      clusterIdentifier: props.clusterIdentifier,
      defaultDatabaseName: props.databaseName,
      // RDS-managed master password (ManageMasterUserPassword and MasterUserSecret update the cluster in place): RDS rotates
      // it every 7 days by itself, so no rotation function runs and no Serverless Application Repository stack escapes the gate.
      credentials: rds.Credentials.fromUsername(props.adminUsername, { encryptionKey: props.secretsKey }),
      manageMasterUserPassword: true,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [props.securityGroup],
      port,
      parameterGroup,
      writer: instance('Writer', writerZone),
      readers: Array.from({ length: readerCount }, (_, i) => instance(`Reader${i + 1}`, readerZones[i % Math.max(readerZones.length, 1)])),
      serverlessV2MinCapacity: props.capacity.kind === 'serverless' ? props.capacity.minCapacity : undefined,
      serverlessV2MaxCapacity: props.capacity.kind === 'serverless' ? props.capacity.maxCapacity : undefined,
      storageEncrypted: true,
      storageEncryptionKey: props.dataKey,
      iamAuthentication: true,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      copyTagsToSnapshot: true,
      backup: { retention: Duration.days(props.backupRetentionDays), preferredWindow: '02:00-03:00' },
      preferredMaintenanceWindow: 'sun:03:30-sun:04:30',
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: props.dataKey,
      performanceInsightRetention: rds.PerformanceInsightRetention.DEFAULT,
      monitoringInterval: Duration.seconds(60),
      monitoringRole,
      cloudwatchLogsExports: [...LOG_EXPORTS[props.engine]],
      backtrackWindow: !postgres && props.capacity.kind === 'provisioned' ? Duration.hours(24) : undefined,
    });
    for (const group of logGroups) this.cluster.node.addDependency(group);
    if (!postgres) {
      acknowledge(this.cluster, {
        id: 'AwsSolutions-RDS11',
        reason: 'Aurora MySQL keeps 3306: only the app and rotation security groups reach it, and the NACLs admit it only from the app subnets; another port would hide nothing from them',
      });
      if (props.capacity.kind === 'serverless') {
        acknowledge(this.cluster, {
          id: 'AwsSolutions-RDS14',
          reason: 'The development profile runs Serverless v2, where this project does not turn Backtrack on; continuous AWS Backup and automated backups give point-in-time restore instead',
        });
      }
    }
    this.secret = this.cluster.secret!;
    this.connections = this.cluster.connections;
  }

  /**
   * Denies reading or changing the master secret to every principal but
   * `readers` and RDS itself (which rotates it); `readers` are exact role ARNs.
   */
  restrictMasterSecret(readers: readonly string[]): void {
    restrictSecret(this.secret, { readers, scope: this, rotatedBy: 'rds' });
  }

  /** Lets `grantee` connect as the app user with an IAM authentication token (`rds-db:connect` on that user only). */
  grantConnect(grantee: iam.IGrantable): iam.Grant {
    return this.cluster.grantConnect(grantee, this.appUsername);
  }
}
