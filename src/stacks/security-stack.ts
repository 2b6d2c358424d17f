import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentSettings } from '../config';
import { LogArchive } from '../constructs/detection/log-archive';
import { executionRoleArn, KeyRing } from '../constructs/keys/key-ring';
import { FLOW_LOG_PREFIX } from '../constructs/network/vpc-flow-logs';

export interface SecurityStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
}

/** The security team's stack: deployed first, changed rarely. Holds the key ring and the log archive. */
export class SecurityStack extends Stack {
  readonly keys: KeyRing;
  readonly logArchive: LogArchive;

  constructor(scope: Construct, id: string, props: SecurityStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const k = settings.keys;
    const serviceLinkedRoleSuffix = `${settings.appName}-${settings.name}`;
    const deployment = { qualifier: settings.deployment.qualifier, executionRoleArn: settings.deployment.cloudFormationExecutionRoleArn };
    this.keys = new KeyRing(
      this,
      'Keys',
      k.mode === 'central' && k.centralKeyArns
        ? { mode: 'central', keyArns: k.centralKeyArns, administratorRoleArns: k.administratorRoleArns, serviceLinkedRoleSuffix, ...deployment }
        : {
            mode: 'local',
            serviceLinkedRoleSuffix,
            ...deployment,
            aliasPrefix: `${settings.appName}/${settings.name}`,
            administratorRoleArns: k.administratorRoleArns,
            replacements: k.hsmBackedKeyArns,
          },
    );
    const logs = settings.logArchive;
    const flowLogDays = settings.network.flowLogs.retentionDays;
    this.logArchive = new LogArchive(this, 'LogArchive', {
      key: this.keys.logs,
      auditRetentionDays: logs.auditRetentionDays,
      flowLogs: { prefix: FLOW_LOG_PREFIX, retentionDays: flowLogDays },
      // Compliance mode in production: not even the account root can shorten it.
      objectLock: { mode: logs.objectLock.mode ?? (settings.profileName === 'production' ? 'COMPLIANCE' : 'GOVERNANCE'), days: logs.objectLock.days ?? flowLogDays },
      breakGlassRoleArn: logs.breakGlassRoleArn,
      deploymentRoleArn: executionRoleArn(this, settings.deployment),
      auditDelivery: settings.mode === 'standalone',
      // An adopted delivery channel keeps writing where it did: no statement for it here.
      configDelivery: settings.existingResources.configDeliveryChannel === 'create',
      replication: logs.replication,
    });
  }
}
