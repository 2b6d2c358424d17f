import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { configRuleCatalog, DEFAULT_CATALOG_OPTIONS } from '../../../src/constructs/detection/config-rule-catalog';
import { ConfigRules, type ConfigRulesProps } from '../../../src/constructs/detection/config-rules';
import { buildChecked } from '../../helpers/nag';
import { actionsOf, localLogArchive, statement, withProjectFlags } from './fixtures';

/** The identifiers the brief requires, whatever else the catalog holds. */
const REQUIRED = [
  'EC2_IMDSV2_CHECK',
  'INCOMING_SSH_DISABLED',
  'RESTRICTED_INCOMING_TRAFFIC',
  'VPC_DEFAULT_SECURITY_GROUP_CLOSED',
  'VPC_FLOW_LOGS_ENABLED',
  'ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK',
  'ELB_ACM_CERTIFICATE_REQUIRED',
  'ALB_WAF_ENABLED',
  'ELBV2_PREDEFINED_SECURITY_POLICY_SSL_CHECK',
  'RDS_STORAGE_ENCRYPTED',
  'RDS_CLUSTER_IAM_AUTHENTICATION_ENABLED',
  'RDS_CLUSTER_DELETION_PROTECTION_ENABLED',
  'S3_BUCKET_SSL_REQUESTS_ONLY',
  'S3_BUCKET_PUBLIC_READ_PROHIBITED',
  'S3_BUCKET_PUBLIC_WRITE_PROHIBITED',
  'S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC',
  'CMK_BACKING_KEY_ROTATION_ENABLED',
  'SECRETSMANAGER_ROTATION_ENABLED_CHECK',
  'SECRETSMANAGER_SECRET_PERIODIC_ROTATION',
  'ACM_CERTIFICATE_EXPIRATION_CHECK',
  'IAM_PASSWORD_POLICY',
  'ROOT_ACCOUNT_MFA_ENABLED',
  'IAM_ROOT_ACCESS_KEY_CHECK',
  'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS',
  'CLOUD_TRAIL_ENABLED',
  'EC2_EBS_ENCRYPTION_BY_DEFAULT',
  'EC2_INSTANCE_MANAGED_BY_SSM',
  'EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK',
];

/** Parameters each rule must carry (rules not listed take none). */
const PARAMETERS: Record<string, Record<string, string>> = {
  RESTRICTED_INCOMING_TRAFFIC: { blockedPort1: '21', blockedPort2: '23', blockedPort3: '3389', blockedPort4: '3306', blockedPort5: '5432' },
  VPC_FLOW_LOGS_ENABLED: { trafficType: 'ALL' },
  ELBV2_PREDEFINED_SECURITY_POLICY_SSL_CHECK: {
    sslPolicies: 'ELBSecurityPolicy-TLS13-1-2-2021-06,ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04,ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09,ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09',
  },
  ACM_CERTIFICATE_EXPIRATION_CHECK: { daysToExpiration: '30' },
  S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC: { BlockPublicAcls: 'True', IgnorePublicAcls: 'True', BlockPublicPolicy: 'True', RestrictPublicBuckets: 'True' },
  SECRETSMANAGER_ROTATION_ENABLED_CHECK: { maximumAllowedRotationFrequency: '30' },
  SECRETSMANAGER_SECRET_PERIODIC_ROTATION: { maxDaysSinceRotation: '31' },
  IAM_PASSWORD_POLICY: {
    RequireUppercaseCharacters: 'true',
    RequireLowercaseCharacters: 'true',
    RequireSymbols: 'true',
    RequireNumbers: 'true',
    MinimumPasswordLength: '14',
    PasswordReusePrevention: '24',
    MaxPasswordAge: '90',
  },
};

function rulesByIdentifier(template: Template): Record<string, { id: string; props: Record<string, unknown>; dependsOn: string[] }> {
  const found: Record<string, { id: string; props: Record<string, unknown>; dependsOn: string[] }> = {};
  for (const [id, r] of Object.entries(template.findResources('AWS::Config::ConfigRule'))) {
    found[r.Properties.Source.SourceIdentifier] = { id, props: r.Properties, dependsOn: r.DependsOn ?? [] };
  }
  return found;
}

const standalone = buildChecked(({ stack }) => {
  const { key, archive } = localLogArchive(stack);
  new ConfigRules(stack, 'Config', { mode: 'standalone', recorder: { bucket: archive.logBucket, key } });
});
const organization = buildChecked(({ stack }) => {
  withProjectFlags(stack);
  new ConfigRules(stack, 'Config', { mode: 'organization' });
});

describe.each([
  ['standalone', standalone],
  ['organization', organization],
])('ConfigRules (%s)', (_mode, { template, findings }) => {
  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test('creates every catalog rule, the required ones included', () => {
    const identifiers = Object.keys(rulesByIdentifier(template)).sort();
    expect(identifiers).toEqual(configRuleCatalog().map((r) => r.identifier).sort());
    expect(identifiers).toEqual(expect.arrayContaining(REQUIRED));
  });

  test.each(REQUIRED)('%s is an AWS managed rule with its parameters', (identifier) => {
    const rule = rulesByIdentifier(template)[identifier]!;
    expect(rule.props.Source).toEqual({ Owner: 'AWS', SourceIdentifier: identifier });
    expect(rule.props.InputParameters).toEqual(PARAMETERS[identifier]);
  });

  test('every rule description fits Config\'s 256 characters and names what it guards', () => {
    for (const rule of Object.values(rulesByIdentifier(template))) {
      expect((rule.props.Description as string).length).toBeLessThanOrEqual(256);
      expect(rule.props.Description).toContain('Guards: ');
    }
  });

  test('account-level S3 Block Public Access is remediated automatically by the AWS runbook', () => {
    const rule = rulesByIdentifier(template).S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC!;
    template.hasResourceProperties('AWS::Config::RemediationConfiguration', {
      ConfigRuleName: { Ref: rule.id },
      TargetType: 'SSM_DOCUMENT',
      TargetId: 'AWSConfigRemediation-ConfigureS3PublicAccessBlock',
      Automatic: true,
      MaximumAutomaticAttempts: 3,
      Parameters: {
        AutomationAssumeRole: { StaticValue: { Values: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('RemediationRole'), 'Arn'] }] } },
        AccountId: { StaticValue: { Values: [{ Ref: 'AWS::AccountId' }] } },
        BlockPublicAcls: { StaticValue: { Values: ['true'] } },
        IgnorePublicAcls: { StaticValue: { Values: ['true'] } },
        BlockPublicPolicy: { StaticValue: { Values: ['true'] } },
        RestrictPublicBuckets: { StaticValue: { Values: ['true'] } },
      },
    });
    template.resourceCountIs('AWS::Config::RemediationConfiguration', 1);
  });

  test('the remediation role is assumed by SSM for this account only, and may only set the account block', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ssm.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('RemediationRole') }],
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['s3:GetAccountPublicAccessBlock', 's3:PutAccountPublicAccessBlock'], Resource: '*' }] },
    });
  });
});

describe('ConfigRules standalone recorder', () => {
  const { template } = standalone;

  test('records every supported type, global ones included, continuously, through the service-linked role', () => {
    template.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RoleARN: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':iam::111111111111:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig'])] }),
      RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: true, RecordingStrategy: { UseOnly: 'ALL_SUPPORTED_RESOURCE_TYPES' } },
      RecordingMode: { RecordingFrequency: 'CONTINUOUS' },
    });
    template.hasResourceProperties('AWS::IAM::ServiceLinkedRole', { AWSServiceName: 'config.amazonaws.com' });
  });

  test('delivers to the log bucket under config/, encrypted with the key, daily snapshots', () => {
    template.hasResourceProperties('AWS::Config::DeliveryChannel', {
      S3BucketName: { Ref: Match.stringLikeRegexp('^ArchiveLogs') },
      S3KeyPrefix: 'config',
      S3KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogsKey'), 'Arn'] },
      ConfigSnapshotDeliveryProperties: { DeliveryFrequency: 'TwentyFour_Hours' },
    });
  });

  test('the channel waits for the recorder and the bucket policy', () => {
    const [channel] = Object.values(template.findResources('AWS::Config::DeliveryChannel'));
    expect(channel!.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/Recorder/), expect.stringMatching(/^ArchiveLogsPolicy/)]));
  });

  test('every rule waits for the recorder', () => {
    for (const rule of Object.values(rulesByIdentifier(template))) expect(rule.dependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/Recorder/)]));
  });

  test.each([
    ['ConfigBucketPermissionsCheck', 's3:GetBucketAcl'],
    ['ConfigBucketExistenceCheck', 's3:ListBucket'],
    ['ConfigBucketDelivery', 's3:PutObject'],
  ])('bucket policy statement %s lets Config of this account call %s only', (sid, action) => {
    const s = statement(template, 'AWS::S3::BucketPolicy', sid);
    expect(s.Principal).toEqual({ Service: 'config.amazonaws.com' });
    expect(actionsOf(s)).toEqual([action]);
    expect(s.Condition!.StringEquals!['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
  });

  test('Config writes only under its prefix and with bucket-owner-full-control', () => {
    const s = statement(template, 'AWS::S3::BucketPolicy', 'ConfigBucketDelivery');
    expect(JSON.stringify(s.Resource)).toContain('/config/AWSLogs/');
    expect(s.Condition!.StringEquals!['s3:x-amz-acl']).toBe('bucket-owner-full-control');
  });

  test('the key lets Config of this account encrypt deliveries', () => {
    const s = statement(template, 'AWS::KMS::Key', 'ConfigEncryptsDeliveries');
    expect(actionsOf(s)).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(s.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
  });
});

describe('ConfigRules organization mode', () => {
  test('creates no recorder, channel or service-linked role, and no rule waits on one', () => {
    const { template } = organization;
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 0);
    template.resourceCountIs('AWS::Config::DeliveryChannel', 0);
    template.resourceCountIs('AWS::IAM::ServiceLinkedRole', 0);
    for (const rule of Object.values(rulesByIdentifier(template))) expect(rule.dependsOn).toEqual([]);
  });
});

describe('ConfigRules options', () => {
  const build = (props: ConfigRulesProps | ((stack: Stack) => ConfigRulesProps)) => {
    const stack = new Stack();
    const rules = new ConfigRules(stack, 'Config', typeof props === 'function' ? props(stack) : props);
    return { rules, template: Template.fromStack(stack), stack };
  };
  const recorderIn = (stack: Stack) => ({ bucket: s3.Bucket.fromBucketName(stack, 'B', 'logs'), key: kms.Key.fromKeyArn(stack, 'K', 'arn:aws:kms:eu-west-1:111111111111:key/k') });

  test('a listed recording set records exactly those types', () => {
    const types = ['AWS::KMS::Key', 'AWS::SecretsManager::Secret', 'AWS::EC2::Instance'];
    const { template } = build((stack) => ({ mode: 'standalone', recorder: { ...recorderIn(stack), resourceTypes: types } }));
    template.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: { AllSupported: false, IncludeGlobalResourceTypes: false, ResourceTypes: types, RecordingStrategy: { UseOnly: 'INCLUSION_BY_RESOURCE_TYPES' } },
    });
  });

  test.each([['AWS::KMS::Key'], ['AWS::SecretsManager::Secret']])('a listed recording set without %s is refused', (left) => {
    const types = ['AWS::KMS::Key', 'AWS::SecretsManager::Secret'].filter((t) => t !== left);
    expect(() => build((stack) => ({ mode: 'standalone', recorder: { ...recorderIn(stack), resourceTypes: types } }))).toThrow(new RegExp(`must include ${left}`));
  });

  test('rules on types the recorder leaves out are reported', () => {
    const { stack } = build((s) => ({ mode: 'standalone', recorder: { ...recorderIn(s), resourceTypes: ['AWS::KMS::Key', 'AWS::SecretsManager::Secret'] } }));
    Annotations.fromStack(stack).hasWarning('/Default/Config', Match.stringLikeRegexp('EC2_IMDSV2_CHECK evaluates AWS::EC2::Instance, which the recorder does not record'));
  });

  test('the service-linked role can be left to an account that has it', () => {
    const { template } = build((stack) => ({ mode: 'standalone', recorder: { ...recorderIn(stack), createServiceLinkedRole: false } }));
    template.resourceCountIs('AWS::IAM::ServiceLinkedRole', 0);
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 1);
  });

  test('excluded rules are left out, and unknown identifiers refused', () => {
    const { template } = build({ mode: 'organization', exclude: ['ALB_WAF_ENABLED'] });
    expect(Object.keys(rulesByIdentifier(template))).not.toContain('ALB_WAF_ENABLED');
    expect(() => build({ mode: 'organization', exclude: ['NOT_A_RULE'] })).toThrow(/not in the catalog: NOT_A_RULE/);
  });

  test('remediation can be made manual', () => {
    build({ mode: 'organization', automaticRemediation: false }).template.hasResourceProperties('AWS::Config::RemediationConfiguration', { Automatic: false });
  });

  test('catalog options reach the rule parameters', () => {
    const { template } = build({
      mode: 'organization',
      catalog: { secretRotationDays: 7, certificateExpiryDays: 45, passwordPolicy: { ...DEFAULT_CATALOG_OPTIONS.passwordPolicy, minimumLength: 20 } },
    });
    const rules = rulesByIdentifier(template);
    expect(rules.SECRETSMANAGER_ROTATION_ENABLED_CHECK!.props.InputParameters).toEqual({ maximumAllowedRotationFrequency: '7' });
    expect(rules.ACM_CERTIFICATE_EXPIRATION_CHECK!.props.InputParameters).toEqual({ daysToExpiration: '45' });
    expect(rules.IAM_PASSWORD_POLICY!.props.InputParameters).toMatchObject({ MinimumPasswordLength: '20' });
  });
});

describe('config rule catalog', () => {
  const catalog = configRuleCatalog();

  test('every entry names the requirement it guards', () => {
    for (const rule of catalog) expect(rule.requirement).toMatch(/^(SRA|Pillar)/);
  });

  test('ids and identifiers are unique', () => {
    expect(new Set(catalog.map((r) => r.id)).size).toBe(catalog.length);
    expect(new Set(catalog.map((r) => r.identifier)).size).toBe(catalog.length);
  });

  test.each([[[]], [[1, 2, 3, 4, 5, 6]]])('blocked ports %j are refused (the rule takes one to five)', (ports) => {
    expect(() => configRuleCatalog({ ...DEFAULT_CATALOG_OPTIONS, blockedPorts: ports })).toThrow(/one to five ports/);
  });
});
