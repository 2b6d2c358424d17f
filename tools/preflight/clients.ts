import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { ACMClient } from '@aws-sdk/client-acm';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import type { Clients } from './types';

/** Client settings shared by every client: the Region, and optionally a named profile (otherwise the default credential chain). */
export interface ClientSettings {
  readonly region: string;
  readonly profile?: string;
  readonly endpoint?: string;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
  readonly maxAttempts?: number;
}

/** The clients for one environment, built once and passed to every check. */
export function createClients(settings: ClientSettings): Clients {
  const s = { ...settings };
  return {
    sts: new STSClient(s),
    cloudFormation: new CloudFormationClient(s),
    ssm: new SSMClient(s),
    guardDuty: new GuardDutyClient(s),
    securityHub: new SecurityHubClient(s),
    config: new ConfigServiceClient(s),
    accessAnalyzer: new AccessAnalyzerClient(s),
    iam: new IAMClient(s),
    acm: new ACMClient(s),
    secretsManager: new SecretsManagerClient(s),
    route53: new Route53Client(s),
    kms: new KMSClient(s),
    serviceQuotas: new ServiceQuotasClient(s),
    ec2: new EC2Client(s),
    lambda: new LambdaClient(s),
  };
}
