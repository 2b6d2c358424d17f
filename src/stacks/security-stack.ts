import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentSettings } from '../config';
import { LogArchive } from '../constructs/detection/log-archive';

export interface SecurityStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
}

/** The security team's stack: deployed first, changed rarely. Holds the log archive the other tiers write to. */
export class SecurityStack extends Stack {
  readonly logArchive: LogArchive;

  constructor(scope: Construct, id: string, props: SecurityStackProps) {
    super(scope, id, props);
    const { settings } = props;
    this.logArchive = new LogArchive(this, 'LogArchive', {
      aliasPrefix: `${settings.appName}/${settings.name}`,
      retentionDays: settings.network.flowLogs.retentionDays,
    });
  }
}
