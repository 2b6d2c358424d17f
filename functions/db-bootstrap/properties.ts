/** The custom resource's properties, as CloudFormation sends them (all strings). */
export interface BootstrapProperties {
  /** The master secret (JSON with username and password). */
  readonly MasterSecretArn: string;
  readonly Host: string;
  readonly Port: string;
  readonly DatabaseName: string;
  /** The role the service logs in as with IAM authentication. */
  readonly AppUsername: string;
  /** The schema the service owns the tables of. */
  readonly Schema: string;
  /** Changes when the grants do, so an update re-applies them. */
  readonly GrantsVersion?: string;
}

const IDENTIFIER = /^[a-z][a-z0-9_]{0,62}$/;
const HOST = /^[A-Za-z0-9.-]{1,253}$/;

export interface BootstrapSettings {
  readonly masterSecretArn: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly appUsername: string;
  readonly schema: string;
}

/** Checks every property and names the first bad one; identifiers are limited to what needs no quoting tricks. */
export function parseProperties(raw: Record<string, unknown> | undefined): BootstrapSettings {
  const p = (raw ?? {}) as Partial<Record<keyof BootstrapProperties, unknown>>;
  const text = (name: keyof BootstrapProperties): string => {
    const value = p[name];
    if (typeof value !== 'string' || value === '') throw new Error(`${name} must be a non-empty string`);
    return value;
  };
  const identifier = (name: keyof BootstrapProperties): string => {
    const value = text(name);
    if (!IDENTIFIER.test(value)) throw new Error(`${name} must be a lower-case identifier (letters, digits, _; got ${JSON.stringify(value)})`);
    return value;
  };
  const host = text('Host');
  if (!HOST.test(host)) throw new Error(`Host must be a DNS name (got ${JSON.stringify(host)})`);
  const port = Number(text('Port'));
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Port must be a port number (got ${JSON.stringify(p.Port)})`);
  const masterSecretArn = text('MasterSecretArn');
  if (!/^arn:aws[a-z-]*:secretsmanager:/.test(masterSecretArn)) throw new Error('MasterSecretArn must be a Secrets Manager secret ARN');
  return { masterSecretArn, host, port, database: identifier('DatabaseName'), appUsername: identifier('AppUsername'), schema: identifier('Schema') };
}
