import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACMClient, ImportCertificateCommand } from '@aws-sdk/client-acm';
import { AccessAnalyzerClient, ListAnalyzersCommand } from '@aws-sdk/client-accessanalyzer';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { IAMClient, CreateRoleCommand } from '@aws-sdk/client-iam';
import { KMSClient, CreateKeyCommand } from '@aws-sdk/client-kms';
import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient, CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DescribeHubCommand, type DescribeHubCommandInput, GetEnabledStandardsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { mockClient } from 'aws-sdk-client-mock';
import { stringify } from 'yaml';
import { createClients } from '../../tools/preflight/clients';
import type { Clients } from '../../tools/preflight/types';
import { exampleConfig } from '../helpers/app';
import type { Moto } from '../helpers/moto';

/** The default quotas AWS reports for the codes the preflight reads (GetAWSDefaultServiceQuota). */
export const DEFAULT_QUOTAS: Record<string, number> = { 'L-0263D0A3': 5, 'L-29B6F2EB': 50, 'L-2AEEBF1A': 20 };

export interface Unserved {
  /** Analyzers of each type the account has. */
  readonly analyzers?: Partial<Record<'ACCOUNT' | 'ACCOUNT_UNUSED_ACCESS', string[]>>;
  /** Lambda's account concurrency limit (new accounts: 10). */
  readonly lambdaLimit?: number;
  /** Applied quota values by code; otherwise Service Quotas answers NoSuchResourceException and the default applies. */
  readonly appliedQuotas?: Record<string, number>;
  /** Standards ARNs Security Hub GetEnabledStandards reports. */
  readonly enabledStandards?: string[];
}

/**
 * moto clients for everything moto serves; injected mocks for the calls it
 * does not (IAM Access Analyzer ListAnalyzers, Service Quotas
 * GetServiceQuota/GetAWSDefaultServiceQuota, Lambda GetAccountSettings,
 * Security Hub GetEnabledStandards; DescribeHub still goes to moto).
 */
export function clientsFor(server: Moto, unserved: Unserved = {}) {
  return (settings: { region: string }): Clients => {
    const real = createClients(server.clientConfig(settings.region));
    const accessAnalyzer = new AccessAnalyzerClient({ region: settings.region });
    const aa = mockClient(accessAnalyzer);
    for (const type of ['ACCOUNT', 'ACCOUNT_UNUSED_ACCESS'] as const) {
      aa.on(ListAnalyzersCommand, { type }).resolves({ analyzers: (unserved.analyzers?.[type] ?? []).map((name) => ({ name, type, arn: `arn:aws:access-analyzer:${settings.region}:123456789012:analyzer/${name}`, createdAt: new Date(), status: 'ACTIVE' })) });
    }
    const serviceQuotas = new ServiceQuotasClient({ region: settings.region });
    const sq = mockClient(serviceQuotas);
    sq.on(GetServiceQuotaCommand).callsFake((input: { QuotaCode: string }) => {
      const applied = unserved.appliedQuotas?.[input.QuotaCode];
      if (applied === undefined) throw Object.assign(new Error('The request failed because the specified service does not exist.'), { name: 'NoSuchResourceException' });
      return { Quota: { QuotaCode: input.QuotaCode, Value: applied } };
    });
    sq.on(GetAWSDefaultServiceQuotaCommand).callsFake((input: { QuotaCode: string }) => ({ Quota: { QuotaCode: input.QuotaCode, Value: DEFAULT_QUOTAS[input.QuotaCode] } }));
    const lambda = new LambdaClient({ region: settings.region });
    const limit = unserved.lambdaLimit ?? 1000;
    mockClient(lambda).on(GetAccountSettingsCommand).resolves({ AccountLimit: { ConcurrentExecutions: limit, UnreservedConcurrentExecutions: limit } });
    const securityHub = new SecurityHubClient({ region: settings.region });
    const sh = mockClient(securityHub);
    sh.on(DescribeHubCommand).callsFake((input: DescribeHubCommandInput) => real.securityHub.send(new DescribeHubCommand(input)));
    sh.on(GetEnabledStandardsCommand).resolves({ StandardsSubscriptions: (unserved.enabledStandards ?? []).map((arn, i) => ({ StandardsArn: arn, StandardsSubscriptionArn: `${arn}/subscription/${i}`, StandardsInput: {}, StandardsStatus: 'READY' })) });
    return { ...real, accessAnalyzer, serviceQuotas, lambda, securityHub };
  };
}

/** A self-signed certificate and key valid for `days`, imported into moto's ACM; returns its ARN. */
export async function importCertificate(server: Moto, region: string, days = 365): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sra-preflight-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', String(days), '-subj', '/CN=app.example.com'], { stdio: 'ignore' });
    const acm = new ACMClient(server.clientConfig(region));
    const imported = await acm.send(new ImportCertificateCommand({ Certificate: readFileSync(cert), PrivateKey: readFileSync(key) }));
    return imported.CertificateArn!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npx cdk bootstrap` as far as the preflight reads it: the CDKToolkit stack with its Qualifier parameter and the version parameter. */
export async function bootstrapInMoto(server: Moto, region: string, version: number, qualifier = 'hnb659fds'): Promise<void> {
  const template = {
    Parameters: { Qualifier: { Type: 'String', Default: qualifier } },
    Resources: { CdkBootstrapVersion: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Name: `/cdk-bootstrap/${qualifier}/version`, Value: String(version) } } },
    Outputs: { BootstrapVersion: { Value: { 'Fn::GetAtt': ['CdkBootstrapVersion', 'Value'] } } },
  };
  await new CloudFormationClient(server.clientConfig(region)).send(new CreateStackCommand({ StackName: 'CDKToolkit', TemplateBody: JSON.stringify(template) }));
}

/** A symmetric key; usage and spec are given because moto leaves KeyUsage out of DescribeKey when it was defaulted (AWS always returns it). */
export async function createKey(server: Moto, region: string): Promise<string> {
  return (await new KMSClient(server.clientConfig(region)).send(new CreateKeyCommand({ Description: 'central key', KeyUsage: 'ENCRYPT_DECRYPT', KeySpec: 'SYMMETRIC_DEFAULT' }))).KeyMetadata!.Arn!;
}

export async function createSecret(server: Moto, region: string, name: string, kmsKeyId?: string): Promise<string> {
  return (await new SecretsManagerClient(server.clientConfig(region)).send(new CreateSecretCommand({ Name: name, SecretString: '{"url":"https://hooks.example.com/x"}', KmsKeyId: kmsKeyId }))).ARN!;
}

export async function createRole(server: Moto, name: string, path = '/'): Promise<string> {
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }] });
  return (await new IAMClient(server.clientConfig()).send(new CreateRoleCommand({ RoleName: name, Path: path, AssumeRolePolicyDocument: trust }))).Role!.Arn!;
}

/** The dev example moved to moto's account and the given Region, with central keys and a webhook secret; written to a temporary YAML file. */
export function writeConfig(change: (config: Record<string, any>) => void): { path: string; cleanup: () => void } { // eslint-disable-line @typescript-eslint/no-explicit-any
  const config = exampleConfig('dev');
  change(config);
  const dir = mkdtempSync(join(tmpdir(), 'sra-preflight-config-'));
  const path = join(dir, 'config.yaml');
  writeFileSync(path, stringify(config));
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
