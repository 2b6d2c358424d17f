import { DEFAULT_PASSWORD_POLICY, passwordPolicyRuleParameters, type PasswordPolicy } from '../guardrails/password-policy';
import { TLS_POLICIES } from '../edge/load-balancer';

/**
 * The AWS Config managed rules that check this workload once deployed: for
 * each, the AWS identifier, its parameters, the requirement it guards (the SRA
 * Application-account page is "SRA"; the Well-Architected Security Pillar is
 * "Pillar") and the Security Hub control that reports the same check.
 */
export interface CatalogRule {
  /** Construct id of the rule. */
  readonly id: string;
  /** AWS managed rule identifier (`SourceIdentifier`). */
  readonly identifier: string;
  /** What the rule checks, in one sentence. */
  readonly description: string;
  /** What the seed or the pillar asks for, that this rule verifies. */
  readonly requirement: string;
  /** Security Hub control with the same check, when there is one. */
  readonly securityHubControl?: string;
  /** Rule parameters, as the strings Config expects. */
  readonly inputParameters?: Readonly<Record<string, string>>;
  /** Resource types a change-triggered rule evaluates; the recorder must record them. Absent for periodic, account-level rules. */
  readonly evaluates?: readonly string[];
  /** Automatic SSM Automation remediation, only where it is safe and reversible. */
  readonly remediation?: CatalogRemediation;
}

export interface CatalogRemediation {
  /** AWS-owned SSM Automation runbook. */
  readonly document: string;
  /** Runbook parameters besides `AutomationAssumeRole`; `ACCOUNT_ID` is replaced by the account. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Exactly what the runbook calls, granted to its assume role. */
  readonly actions: readonly string[];
}

export interface CatalogOptions {
  /** The password policy `AccountGuardrails` sets. @default DEFAULT_PASSWORD_POLICY */
  readonly passwordPolicy: PasswordPolicy;
  /** Longest allowed rotation interval of a secret, in days. @default 30 */
  readonly secretRotationDays: number;
  /** A certificate this close to expiry is non-compliant, in days. @default 30 */
  readonly certificateExpiryDays: number;
  /**
   * TLS security policies load balancer listeners may use (ELB.17).
   * @default every policy the load balancer offers (`TLS_POLICIES`): whichever the config chooses is compliant
   */
  readonly loadBalancerTlsPolicies: readonly string[];
  /** Ports no security group may open to the internet, at most five (SSH has its own rule). @default FTP, Telnet, RDP, MySQL, PostgreSQL */
  readonly blockedPorts: readonly number[];
}

export const DEFAULT_CATALOG_OPTIONS: CatalogOptions = {
  passwordPolicy: DEFAULT_PASSWORD_POLICY,
  secretRotationDays: 30,
  certificateExpiryDays: 30,
  // The same list the config's tlsPolicy chooses from, so the rule never marks the project's own choice NON_COMPLIANT.
  loadBalancerTlsPolicies: [...new Set(Object.values(TLS_POLICIES).map(String))],
  blockedPorts: [21, 23, 3389, 3306, 5432],
};

const INSTANCE = 'AWS::EC2::Instance';
const SECURITY_GROUP = 'AWS::EC2::SecurityGroup';
const DB_CLUSTER = 'AWS::RDS::DBCluster';
const BUCKET = 'AWS::S3::Bucket';
const SECRET = 'AWS::SecretsManager::Secret';
const TRUE = 'True';

export function configRuleCatalog(options: CatalogOptions = DEFAULT_CATALOG_OPTIONS): readonly CatalogRule[] {
  if (options.blockedPorts.length < 1 || options.blockedPorts.length > 5) throw new Error(`blockedPorts: the rule takes one to five ports (got ${options.blockedPorts.length})`);
  return [
    // Compute
    {
      id: 'Ec2Imdsv2',
      identifier: 'EC2_IMDSV2_CHECK',
      description: 'Instances require IMDSv2 (session tokens).',
      requirement: 'SRA: the EC2 instances of the application use IMDSv2',
      securityHubControl: 'EC2.8',
      evaluates: [INSTANCE],
    },
    {
      id: 'Ec2ManagedBySsm',
      identifier: 'EC2_INSTANCE_MANAGED_BY_SSM',
      description: 'Instances are managed by Systems Manager.',
      requirement: 'SRA: Session Manager and Patch Manager manage the instances, without inbound ports or bastions',
      securityHubControl: 'SSM.1',
      evaluates: [INSTANCE, 'AWS::SSM::ManagedInstanceInventory'],
    },
    {
      id: 'Ec2PatchCompliance',
      identifier: 'EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK',
      description: 'Managed instances are compliant with their patch baseline.',
      requirement: 'SRA: Patch Manager applies operating-system and application patches',
      securityHubControl: 'SSM.2',
      evaluates: ['AWS::SSM::PatchCompliance'],
    },
    {
      id: 'EbsEncryptionByDefault',
      identifier: 'EC2_EBS_ENCRYPTION_BY_DEFAULT',
      description: 'EBS encryption by default is on in this region.',
      requirement: 'SRA: keys specific to the application encrypt its data at rest',
      securityHubControl: 'EC2.7',
    },
    // Network
    {
      id: 'RestrictedSsh',
      identifier: 'INCOMING_SSH_DISABLED',
      description: 'No security group admits SSH from anywhere.',
      requirement: 'SRA: Session Manager gives shell access without inbound ports, bastion hosts or SSH keys',
      securityHubControl: 'EC2.13',
      evaluates: [SECURITY_GROUP],
    },
    {
      id: 'RestrictedCommonPorts',
      identifier: 'RESTRICTED_INCOMING_TRAFFIC',
      description: 'No security group admits high-risk ports from anywhere.',
      requirement: 'SRA: security groups segment the tiers and restrict traffic at the instance level',
      securityHubControl: 'EC2.19',
      inputParameters: Object.fromEntries(options.blockedPorts.map((port, i) => [`blockedPort${i + 1}`, String(port)])),
      evaluates: [SECURITY_GROUP],
    },
    {
      id: 'DefaultSecurityGroupClosed',
      identifier: 'VPC_DEFAULT_SECURITY_GROUP_CLOSED',
      description: 'Default security groups allow no traffic.',
      requirement: 'SRA: segmentation through security groups; nothing relies on the permissive default group',
      securityHubControl: 'EC2.2',
      evaluates: [SECURITY_GROUP],
    },
    {
      id: 'VpcFlowLogs',
      identifier: 'VPC_FLOW_LOGS_ENABLED',
      description: 'Every VPC records flow logs for all traffic.',
      requirement: 'Pillar, capturing and analyzing logs: service logging captured and centralized for analysis',
      securityHubControl: 'EC2.6',
      inputParameters: { trafficType: 'ALL' },
    },
    // Load balancer
    {
      id: 'AlbHttpsRedirect',
      identifier: 'ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK',
      description: 'HTTP listeners of application load balancers redirect to HTTPS.',
      requirement: 'SRA: HTTPS listeners keep the communication channel encrypted',
      securityHubControl: 'ELB.1',
    },
    {
      id: 'AlbCertificateFromAcm',
      identifier: 'ELBV2_ACM_CERTIFICATE_REQUIRED',
      description: 'Application and network load balancers use certificates from ACM.',
      requirement: 'SRA: ACM generates and manages the X.509 server certificates of the load balancer',
    },
    {
      id: 'ClassicElbCertificateFromAcm',
      identifier: 'ELB_ACM_CERTIFICATE_REQUIRED',
      description: 'Classic load balancers use certificates from ACM (none is expected; the rule catches one appearing).',
      requirement: 'SRA: ACM generates and manages the X.509 server certificates of the load balancer',
      securityHubControl: 'ELB.2',
      evaluates: ['AWS::ElasticLoadBalancing::LoadBalancer'],
    },
    {
      id: 'AlbTlsPolicy',
      identifier: 'ELBV2_PREDEFINED_SECURITY_POLICY_SSL_CHECK',
      description: 'HTTPS listeners use a TLS 1.2+ security policy.',
      requirement: 'SRA: the load balancer security policy enforces TLS 1.2 and strong ciphers',
      securityHubControl: 'ELB.17',
      inputParameters: { sslPolicies: options.loadBalancerTlsPolicies.join(',') },
      evaluates: ['AWS::ElasticLoadBalancingV2::Listener'],
    },
    {
      id: 'AlbWaf',
      identifier: 'ALB_WAF_ENABLED',
      description: 'Application load balancers are protected by an AWS WAF web ACL.',
      requirement: 'SRA design consideration: AWS WAF policies protect the Application Load Balancer',
      evaluates: ['AWS::ElasticLoadBalancingV2::LoadBalancer'],
    },
    {
      id: 'CertificateExpiry',
      identifier: 'ACM_CERTIFICATE_EXPIRATION_CHECK',
      description: `Certificates are renewed more than ${options.certificateExpiryDays} days before they expire.`,
      requirement: 'SRA design consideration: monitor the expiration date of imported certificates and renew them first',
      securityHubControl: 'ACM.1',
      inputParameters: { daysToExpiration: String(options.certificateExpiryDays) },
      evaluates: ['AWS::ACM::Certificate'],
    },
    // Data
    {
      id: 'RdsStorageEncrypted',
      identifier: 'RDS_STORAGE_ENCRYPTED',
      description: 'Database storage is encrypted.',
      requirement: 'SRA: Aurora data encrypted at rest with the application key',
      securityHubControl: 'RDS.3',
      evaluates: ['AWS::RDS::DBInstance'],
    },
    {
      id: 'RdsIamAuthentication',
      identifier: 'RDS_CLUSTER_IAM_AUTHENTICATION_ENABLED',
      description: 'Aurora clusters accept IAM database authentication.',
      requirement: 'Pillar, protecting credentials: temporary credentials in place of long-lived passwords',
      securityHubControl: 'RDS.12',
      evaluates: [DB_CLUSTER],
    },
    {
      id: 'RdsDeletionProtection',
      identifier: 'RDS_CLUSTER_DELETION_PROTECTION_ENABLED',
      description: 'Aurora clusters have deletion protection.',
      requirement: 'SRA: the database tier holds the application data and must not be deleted by accident',
      securityHubControl: 'RDS.7',
      evaluates: [DB_CLUSTER],
    },
    {
      id: 'S3SslOnly',
      identifier: 'S3_BUCKET_SSL_REQUESTS_ONLY',
      description: 'Bucket policies deny requests without TLS.',
      requirement: 'SRA: data in transit is encrypted',
      securityHubControl: 'S3.5',
      evaluates: [BUCKET],
    },
    {
      id: 'S3NoPublicRead',
      identifier: 'S3_BUCKET_PUBLIC_READ_PROHIBITED',
      description: 'No bucket allows public read access.',
      requirement: 'SRA: application data stays inside the account boundary',
      securityHubControl: 'S3.2',
      evaluates: [BUCKET],
    },
    {
      id: 'S3NoPublicWrite',
      identifier: 'S3_BUCKET_PUBLIC_WRITE_PROHIBITED',
      description: 'No bucket allows public write access.',
      requirement: 'SRA: application data stays inside the account boundary',
      securityHubControl: 'S3.3',
      evaluates: [BUCKET],
    },
    {
      id: 'S3AccountPublicAccessBlock',
      identifier: 'S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC',
      description: 'All four S3 Block Public Access settings are on for the account.',
      requirement: 'SRA: guardrails the account inherits; no bucket of the account can be made public',
      securityHubControl: 'S3.1',
      inputParameters: { BlockPublicAcls: TRUE, IgnorePublicAcls: TRUE, BlockPublicPolicy: TRUE, RestrictPublicBuckets: TRUE },
      // Re-applying the account-level block cannot break a compliant workload and is undone by one API call.
      remediation: {
        document: 'AWSConfigRemediation-ConfigureS3PublicAccessBlock',
        parameters: { AccountId: 'ACCOUNT_ID', BlockPublicAcls: 'true', IgnorePublicAcls: 'true', BlockPublicPolicy: 'true', RestrictPublicBuckets: 'true' },
        actions: ['s3:PutAccountPublicAccessBlock', 's3:GetAccountPublicAccessBlock'],
      },
    },
    // Keys and secrets
    {
      id: 'KmsKeyRotation',
      identifier: 'CMK_BACKING_KEY_ROTATION_ENABLED',
      description: 'Customer-managed keys rotate automatically.',
      requirement: 'SRA: AWS Config monitors and records changes to KMS keys and their policies',
      securityHubControl: 'KMS.4',
    },
    {
      id: 'SecretRotationEnabled',
      identifier: 'SECRETSMANAGER_ROTATION_ENABLED_CHECK',
      description: `Secrets rotate at least every ${options.secretRotationDays} days.`,
      requirement: 'SRA: AWS Config tracks the rotation configuration of Secrets Manager secrets',
      securityHubControl: 'SecretsManager.1',
      inputParameters: { maximumAllowedRotationFrequency: String(options.secretRotationDays) },
      evaluates: [SECRET],
    },
    {
      id: 'SecretRotatedRecently',
      identifier: 'SECRETSMANAGER_SECRET_PERIODIC_ROTATION',
      description: 'Secrets were actually rotated within their interval.',
      requirement: 'SRA: secrets are rotated, and a failed rotation is noticed',
      securityHubControl: 'SecretsManager.4',
      // One day of grace: rotation runs in a window on the day it falls due.
      inputParameters: { maxDaysSinceRotation: String(options.secretRotationDays + 1) },
    },
    // Identity
    {
      id: 'PasswordPolicy',
      identifier: 'IAM_PASSWORD_POLICY',
      description: 'The account password policy is at least the baseline.',
      requirement: 'Pillar, protecting credentials: a password policy requiring minimum length, complexity and rotation',
      securityHubControl: 'IAM.7',
      inputParameters: passwordPolicyRuleParameters(options.passwordPolicy),
    },
    {
      id: 'RootMfa',
      identifier: 'ROOT_ACCOUNT_MFA_ENABLED',
      description: 'The root user has MFA.',
      requirement: 'Pillar, protecting credentials: the root user is protected with multi-factor authentication',
      securityHubControl: 'IAM.9',
    },
    {
      id: 'RootAccessKey',
      identifier: 'IAM_ROOT_ACCESS_KEY_CHECK',
      description: 'The root user has no access keys.',
      requirement: 'Pillar, protecting credentials: delete root access keys once the account is set up',
      securityHubControl: 'IAM.4',
    },
    {
      id: 'ConsoleMfa',
      identifier: 'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS',
      description: 'IAM users with a console password have MFA.',
      requirement: 'Pillar, protecting credentials: MFA for every IAM user with console access',
      securityHubControl: 'IAM.5',
    },
    // Logging
    {
      id: 'CloudTrailEnabled',
      identifier: 'CLOUD_TRAIL_ENABLED',
      description: 'A CloudTrail trail records this account (the organization trail counts).',
      requirement: 'SRA: an organization trail covers the account; Pillar: CloudTrail captures API activity globally',
      securityHubControl: 'CloudTrail.3',
    },
  ];
}
