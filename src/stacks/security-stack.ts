import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentSettings } from '../config';
import { LogArchive } from '../constructs/detection/log-archive';
import { KeyRing } from '../constructs/keys/key-ring';

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
    this.logArchive = new LogArchive(this, 'LogArchive', {
      key: this.keys.logs,
      retentionDays: settings.network.flowLogs.retentionDays,
    });
  }
}
