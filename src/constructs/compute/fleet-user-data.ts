import { posix } from 'node:path';
import { Aws, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { IConstruct } from 'constructs';
import { BUNDLE_MAIN } from './service-asset';

/** Where the service is unpacked; the archive's files sit directly under it. */
export const SERVICE_DIR = '/opt/app/current';
/** The systemd environment file the service reads its settings from. */
export const SERVICE_ENV_FILE = '/etc/app/app.env';
/** The self-signed certificate and key generated at every start, readable only by the service user. */
export const TLS_DIR = '/var/lib/app/tls';
/** The Node.js runtime from the Amazon Linux 2023 repositories (namespaced package and executable). */
export const NODE_PACKAGE = 'nodejs24';
export const NODE_EXECUTABLE = '/usr/bin/node-24';
/** The AL2023 user data limit is EC2's: 16 KB before base64. */
export const USER_DATA_LIMIT_BYTES = 16 * 1024;

/** The bundled service to download, check and run. */
export interface FleetServiceBundle {
  readonly bucketName: string;
  readonly objectKey: string;
  /** SHA-256 of the archive, hex; the instance refuses a download that does not match. */
  readonly sha256: string;
}

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
  readonly service: FleetServiceBundle;
  /** The service's settings, written to its environment file (values may be CloudFormation tokens). */
  readonly environment: Readonly<Record<string, string>>;
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
 * the Session Manager user, and the documents service: Node.js from the AL2023
 * repositories, the bundle downloaded from the asset bucket and checked against
 * its SHA-256, run by systemd as a non-root user with a certificate generated
 * at each start. Packages and the bundle come through the S3 gateway endpoint.
 */
export function fleetUserData(scope: IConstruct, options: FleetUserDataOptions): ec2.UserData {
  const names = Object.keys(options.environment);
  const bad = names.find((name) => !/^[A-Z][A-Z0-9_]*$/.test(name));
  const multiline = names.find((name) => /[\r\n]/.test(options.environment[name]!));
  if (multiline !== undefined) throw new Error(`${scope.node.path}: environment variable ${multiline} must be one line`);
  if (bad !== undefined) throw new Error(`${scope.node.path}: environment variable names must be upper case letters, digits and _ (got ${JSON.stringify(bad)})`);
  const environment = { PORT: String(options.appPort), TLS_CERT_FILE: `${TLS_DIR}/cert.pem`, TLS_KEY_FILE: `${TLS_DIR}/key.pem`, ...options.environment };
  const { bucketName, objectKey, sha256 } = options.service;
  const archive = '/opt/app/service.tar.gz';
  const lowPort = options.appPort < 1024;
  const userData = ec2.UserData.forLinux();
  userData.addCommands(
    'set -euo pipefail',
    `dnf install -y amazon-cloudwatch-agent rsyslog openssl ${NODE_PACKAGE}`,
    'systemctl enable --now rsyslog',
    `id -u ${options.sessionUser} >/dev/null 2>&1 || useradd --create-home --shell /bin/bash ${options.sessionUser}`,
    'id -u app >/dev/null 2>&1 || useradd --system --no-create-home --shell /sbin/nologin app',
    `install -d -m 0755 /opt/app && install -d -m 0750 -o app -g app ${posix.dirname(APP_LOG_FILE)} && install -d -m 0750 -o root -g app ${posix.dirname(SERVICE_ENV_FILE)}`,
    `aws s3 cp --only-show-errors --region ${Aws.REGION} s3://${bucketName}/${objectKey} ${archive}`,
    // A bundle that is not the one synthesized never runs.
    `echo '${sha256}  ${archive}' | sha256sum --check --strict --quiet`,
    `rm -rf ${SERVICE_DIR} && install -d -m 0755 ${SERVICE_DIR} && tar -xzf ${archive} -C ${SERVICE_DIR} --no-same-owner --no-same-permissions && chmod -R a+rX,go-w ${SERVICE_DIR}`,
    `cat > ${SERVICE_ENV_FILE} <<'SRA_ENV'\n${Object.entries(environment).map(([k, v]) => `${k}=${v}`).join('\n')}\nSRA_ENV`,
    `chown root:app ${SERVICE_ENV_FILE} && chmod 0640 ${SERVICE_ENV_FILE}`,
    `cat > /etc/systemd/system/app.service <<'SRA_UNIT'`,
    '[Unit]',
    'Description=Documents service',
    'Wants=network-online.target',
    'After=network-online.target',
    '[Service]',
    'Type=simple',
    'User=app',
    'Group=app',
    'UMask=0077',
    `EnvironmentFile=${SERVICE_ENV_FILE}`,
    'Environment=NODE_ENV=production',
    // /var/lib/app, owned by the service user: the only place it may write besides its log.
    'StateDirectory=app',
    'StateDirectoryMode=0700',
    // A fresh self-signed key at every start: the load balancer encrypts to the target without verifying it.
    `ExecStartPre=/usr/bin/install -d -m 0700 ${TLS_DIR}`,
    `ExecStartPre=/usr/bin/openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 -subj /CN=app -keyout ${TLS_DIR}/key.pem -out ${TLS_DIR}/cert.pem`,
    `ExecStart=${NODE_EXECUTABLE} ${SERVICE_DIR}/${BUNDLE_MAIN}`,
    'Restart=on-failure',
    'RestartSec=2',
    // SIGTERM first: the service drains in-flight requests and closes its pool.
    'KillSignal=SIGTERM',
    'TimeoutStopSec=30',
    `StandardOutput=append:${APP_LOG_FILE}`,
    `StandardError=append:${APP_LOG_FILE}`,
    ...(lowPort ? ['AmbientCapabilities=CAP_NET_BIND_SERVICE', 'CapabilityBoundingSet=CAP_NET_BIND_SERVICE'] : ['CapabilityBoundingSet=']),
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    'ProtectHome=yes',
    'PrivateTmp=yes',
    'PrivateDevices=yes',
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'ProtectKernelLogs=yes',
    'ProtectControlGroups=yes',
    'ProtectClock=yes',
    'ProtectHostname=yes',
    'RestrictSUIDSGID=yes',
    'RestrictNamespaces=yes',
    'RestrictRealtime=yes',
    'LockPersonality=yes',
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX',
    'SystemCallArchitectures=native',
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
