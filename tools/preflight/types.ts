import type { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import type { ACMClient } from '@aws-sdk/client-acm';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { STSClient } from '@aws-sdk/client-sts';
import type { Config, EnvironmentSettings } from '../../src/config';
import type { EnvironmentPlan } from './plan';

/** PASS: nothing to do. WARN: the deploy can succeed, but something needs attention. FAIL: the deploy would fail. */
export type Status = 'PASS' | 'WARN' | 'FAIL';

export interface CheckResult {
  readonly status: Status;
  /** Short name of what was checked, e.g. `guardduty-detector`. */
  readonly check: string;
  /** What was found. */
  readonly detail: string;
  /** What to do about a FAIL or WARN: usually the exact config setting. */
  readonly remedy?: string;
}

/** One SDK v3 client per service the preflight reads, all for one environment's account and Region. */
export interface Clients {
  readonly sts: STSClient;
  readonly cloudFormation: CloudFormationClient;
  readonly ssm: SSMClient;
  readonly guardDuty: GuardDutyClient;
  readonly securityHub: SecurityHubClient;
  readonly config: ConfigServiceClient;
  readonly accessAnalyzer: AccessAnalyzerClient;
  readonly iam: IAMClient;
  readonly acm: ACMClient;
  readonly secretsManager: SecretsManagerClient;
  readonly route53: Route53Client;
  readonly kms: KMSClient;
  readonly serviceQuotas: ServiceQuotasClient;
  readonly ec2: EC2Client;
  readonly lambda: LambdaClient;
}

/** Everything a check reads: the environment, what its templates would create, and the clients. */
export interface CheckContext {
  readonly config: Config;
  readonly settings: EnvironmentSettings;
  readonly plan: EnvironmentPlan;
  readonly clients: Clients;
  /** The CDK bootstrap qualifier the deployment uses. */
  readonly qualifier: string;
  readonly now: Date;
}

/** A check: read-only calls, one or more result lines. */
export type Check = (ctx: CheckContext) => Promise<CheckResult[]>;
