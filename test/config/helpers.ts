import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config';

/** A plain JSON-like object, loose enough to hold wrong types on purpose. */
export type Draft = Record<string, unknown>;
export type Mutation = (config: Draft) => void;

/** The content of config/dev.yaml, as an object literal. Valid as it stands. */
export function devConfig(): Draft {
  return {
    name: 'sra-app',
    mode: 'standalone',
    tags: { Owner: 'platform-security', CostCenter: '1234' },
    environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1', profile: 'development' }],
    network: {
      cidr: '10.20.0.0/16',
      interfaceEndpoints: ['kms', 'ssm', 'ssmmessages', 'ec2messages', 'ec2', 'secretsmanager', 'logs', 'monitoring', 'sts'],
      flowLogs: { destination: 's3', retentionDays: 90 },
      trafficMirroring: { enabled: false },
    },
    application: {
      port: 8080,
      healthCheckPath: '/health/ready',
      instanceType: 't4g.small',
      internetFacing: true,
      tlsPolicy: 'recommended',
      certificate: { kind: 'imported', certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d' },
      waf: { rateLimit: 2000, logDestination: 'cloudWatchLogs' },
      patching: { approveAfterDays: 7, installSchedule: 'cron(0 3 ? * SUN *)' },
    },
    data: { engine: 'aurora-postgresql', classification: 'confidential', owner: 'orders-team', adminUsername: 'sra_admin', appUsername: 'app', rotationDays: 30 },
    keys: { mode: 'local', administratorRoleArns: ['arn:aws:iam::111111111111:role/sra-key-administrators'] },
    detection: {
      notificationEmails: ['security-alerts@example.com'],
      alternateContacts: {
        security: { name: 'Security Operations', title: 'Security team', email: 'security-alerts@example.com', phone: '+1 555 0100' },
        operations: { name: 'Platform Operations', title: 'Operations team', email: 'platform-ops@example.com', phone: '+1 555 0101' },
        billing: { name: 'Finance', title: 'Cloud billing', email: 'cloud-billing@example.com', phone: '+1 555 0102' },
      },
    },
  };
}

/** A fresh copy of the dev config with the mutations applied in order. */
export function devWith(...mutations: Mutation[]): Draft {
  const config = devConfig();
  for (const mutate of mutations) mutate(config);
  return config;
}

/** `a.b.0.c` → ['a', 'b', 0, 'c']. */
function segments(path: string): (string | number)[] {
  return path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function parentOf(config: Draft, path: string): { parent: Record<string | number, unknown>; key: string | number } {
  const keys = segments(path);
  const key = keys.pop()!;
  let node: unknown = config;
  for (const k of keys) {
    const container = node as Record<string | number, unknown>;
    if (container[k] === undefined || container[k] === null) container[k] = typeof k === 'number' ? [] : {};
    node = container[k];
  }
  return { parent: node as Record<string | number, unknown>, key };
}

/** Sets the value at a dotted path (numeric segments index lists), creating objects on the way. */
export function set(path: string, value: unknown): Mutation {
  return (config) => {
    const { parent, key } = parentOf(config, path);
    parent[key] = structuredClone(value);
  };
}

/** Deletes the field at a dotted path. */
export function remove(path: string): Mutation {
  return (config) => {
    const { parent, key } = parentOf(config, path);
    delete parent[key];
  };
}

/** Appends an item to the list at a dotted path. */
export function add(path: string, item: unknown): Mutation {
  return (config) => {
    const { parent, key } = parentOf(config, path);
    const list = parent[key];
    if (!Array.isArray(list)) throw new Error(`${path} is not a list`);
    list.push(structuredClone(item));
  };
}

/** Applies several mutations as one. */
export function all(...mutations: Mutation[]): Mutation {
  return (config) => mutations.forEach((mutate) => mutate(config));
}

/** Runs `fn` and returns the ConfigError it throws; fails on anything else. */
export function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw new Error(`expected a ConfigError, got ${String(error)}`);
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

/** A temporary directory, removed by the returned cleanup function. */
export function tempDir(): { dir: string; write: (name: string, text: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sra-config-test-'));
  return {
    dir,
    write: (name, text) => {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
