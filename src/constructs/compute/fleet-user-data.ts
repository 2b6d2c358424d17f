import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { IConstruct } from 'constructs';

/** The minimal workload: a health endpoint shipped inside the user data, served until the reference service is deployed. */
export const HEALTH_SERVER_SOURCE = join(__dirname, '..', '..', '..', 'service', 'health', 'server.py');

/** Where the app writes its log; the CloudWatch agent ships it. */
export const APP_LOG_FILE = '/var/log/app/app.log';

export interface FleetUserDataOptions {
  readonly appPort: number;
  readonly healthCheckPath: string;
  /** CloudWatch namespace of the agent's memory and disk metrics. */
  readonly metricNamespace: string;
  /** Group receiving /var/log/messages. */
  readonly systemLogGroupName: string;
  /** Group receiving the app log. */
  readonly appLogGroupName: string;
  /** OS user Session Manager runs shells as; created here without sudo rights. */
  readonly sessionUser: string;
}

/** CloudWatch agent configuration: memory and root-disk use, and the two log files, nothing else. */
export function cloudWatchAgentConfig(scope: IConstruct, options: FleetUserDataOptions): string {
  const stream = '{instance_id}';
  return Stack.of(scope).toJsonString({
    agent: { metrics_collection_interval: 60 },
    metrics: {
      namespace: options.metricNamespace,
      // Read from instance metadata: no EC2 API call, so the role needs no ec2:DescribeTags.
      append_dimensions: { InstanceId: '${aws:InstanceId}' },
      // The same metrics without dimensions: one fleet-wide series, as the namespace is the fleet's.
      aggregation_dimensions: [[]],
      metrics_collected: {
        mem: { measurement: ['mem_used_percent'] },
        disk: { measurement: ['used_percent'], resources: ['/'], drop_device: true },
      },
    },
    logs: {
      logs_collected: {
        files: {
          collect_list: [
            { file_path: '/var/log/messages', log_group_name: options.systemLogGroupName, log_stream_name: stream },
            { file_path: APP_LOG_FILE, log_group_name: options.appLogGroupName, log_stream_name: stream },
          ],
        },
      },
    },
  });
}

/**
 * Boot script of an app instance on Amazon Linux 2023: rsyslog (AL2023 logs to
 * the journal only, and the SRA ships /var/log/messages), the CloudWatch agent,
 * the Session Manager user, and the workload as a hardened systemd service.
 * Packages come from the AL2023 repositories through the S3 gateway endpoint.
 */
export function fleetUserData(scope: IConstruct, options: FleetUserDataOptions): ec2.UserData {
  const server = readFileSync(HEALTH_SERVER_SOURCE, 'utf8');
  const lowPort = options.appPort < 1024 ? 'AmbientCapabilities=CAP_NET_BIND_SERVICE' : '';
  const userData = ec2.UserData.forLinux();
  userData.addCommands(
    'set -euo pipefail',
    'dnf install -y amazon-cloudwatch-agent rsyslog',
    'systemctl enable --now rsyslog',
    `id -u ${options.sessionUser} >/dev/null 2>&1 || useradd --create-home --shell /bin/bash ${options.sessionUser}`,
    'id -u app >/dev/null 2>&1 || useradd --system --no-create-home --shell /sbin/nologin app',
    `install -d -m 0755 /opt/app && install -d -m 0750 -o app -g app ${posix.dirname(APP_LOG_FILE)}`,
    `cat > /opt/app/server.py <<'SRA_SERVER'\n${server.trimEnd()}\nSRA_SERVER`,
    `cat > /etc/systemd/system/app.service <<'SRA_UNIT'`,
    '[Unit]',
    'Description=App workload (health endpoint)',
    'After=network-online.target',
    '[Service]',
    'User=app',
    `Environment=APP_PORT=${options.appPort} HEALTH_PATH=${options.healthCheckPath}`,
    'ExecStart=/usr/bin/python3 /opt/app/server.py',
    'Restart=always',
    `StandardOutput=append:${APP_LOG_FILE}`,
    `StandardError=append:${APP_LOG_FILE}`,
    ...(lowPort ? [lowPort] : []),
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    'ProtectHome=yes',
    'PrivateTmp=yes',
    '[Install]',
    'WantedBy=multi-user.target',
    'SRA_UNIT',
    `cat > /etc/logrotate.d/app <<'SRA_ROTATE'\n${APP_LOG_FILE} {\n  daily\n  rotate 7\n  compress\n  missingok\n  copytruncate\n}\nSRA_ROTATE`,
    'systemctl daemon-reload',
    'systemctl enable --now app',
    `cat > /opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json <<'SRA_AGENT'\n${cloudWatchAgentConfig(scope, options)}\nSRA_AGENT`,
    '/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json',
  );
  return userData;
}
