import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { WebAcl, type WebAclProps } from '../../../src/constructs/edge/web-acl';
import { buildChecked } from '../../helpers/nag';

const LB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/sra/0123456789abcdef';
type Overrides = (scope: Construct, key: kms.IKey) => Partial<WebAclProps>;

function props(scope: Construct, key: kms.IKey, overrides?: Overrides): WebAclProps {
  return { loadBalancerArn: LB_ARN, name: 'sra-app-test', logging: { kind: 'cloudWatchLogs', key, retentionDays: 365 }, ...overrides?.(scope, key) };
}

function plain(overrides?: Overrides): Template {
  const stack = new Stack(new App(), 'Plain', { env: { account: '111111111111', region: 'eu-west-1' } });
  new WebAcl(stack, 'Waf', props(stack, new kms.Key(stack, 'Key', { enableKeyRotation: true }), overrides));
  return Template.fromStack(stack);
}

type Rule = { Name: string; Priority: number; VisibilityConfig: Record<string, unknown>; Statement: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
function rules(template: Template): Rule[] {
  const [acl] = Object.values(template.findResources('AWS::WAFv2::WebACL'));
  return acl!.Properties.Rules as Rule[];
}

const BASELINE = [
  'RateLimitPerIp',
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
  'AWSManagedRulesLinuxRuleSet',
  'AWSManagedRulesUnixRuleSet',
];

describe('WebAcl', () => {
  // On its own (the load balancer test checks the two together): the packs' rules for web ACLs are about logging.
  const { template, findings } = buildChecked(({ stack, key }) => {
    new WebAcl(stack, 'Waf', props(stack, key));
  });

  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test('a regional web ACL associated with the load balancer, allowing what no rule blocks', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Name: 'sra-app-test',
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: 'sra-app-test' },
    });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: LB_ARN, WebACLArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } });
  });

  test('rate limit first, then the AWS managed groups for the Amazon Linux fleet, in order (WAF.10)', () => {
    expect(rules(template).map((r) => r.Name)).toEqual(BASELINE);
    expect(rules(template).map((r) => r.Priority)).toEqual(BASELINE.map((_, i) => i));
  });

  test('every rule publishes CloudWatch metrics and samples requests (WAF.12)', () => {
    for (const rule of rules(template)) {
      expect(rule.VisibilityConfig).toEqual({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: rule.Name });
    }
  });

  test('managed groups keep their own actions; the rate rule blocks an IP above 2000 requests per 5 minutes', () => {
    for (const rule of rules(template).filter((r) => r.Name.startsWith('AWSManagedRules'))) {
      expect(rule).toMatchObject({ OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: rule.Name } } });
    }
    expect(rules(template)[0]).toMatchObject({ Action: { Block: {} }, Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: 2000, EvaluationWindowSec: 300 } } });
  });

  test('logs every request to a KMS-encrypted aws-waf-logs- group, with credentials and the query string (the OIDC code) redacted', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-'),
      KmsKeyId: Match.anyValue(),
      RetentionInDays: 365,
    });
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Waf'), 'Arn'] },
      // The group's ARN without the ":*" suffix, which WAF refuses.
      LogDestinationConfigs: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:111111111111:log-group:', { Ref: Match.anyValue() }]] }],
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }, { QueryString: {} }],
    });
  });

  describe('S3 logging', () => {
    const checked = buildChecked(({ stack, key }) => {
      new WebAcl(stack, 'Waf', props(stack, key, (scope) => ({ logging: { kind: 's3', bucket: s3.Bucket.fromBucketName(scope, 'WafLogs', 'aws-waf-logs-sra-app') } })));
    });

    test('passes all four packs', () => {
      expect(checked.findings).toEqual([]);
    });

    test('delivers to the bucket, with the same redaction', () => {
      checked.template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        LogDestinationConfigs: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::aws-waf-logs-sra-app']] }],
        RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }, { QueryString: {} }],
      });
      checked.template.resourceCountIs('AWS::Logs::LogGroup', 0);
    });

    test('a bucket built here gets the log-delivery statements, limited to this account', () => {
      plain((scope) => ({ logging: { kind: 's3', bucket: new s3.Bucket(scope, 'Logs', { bucketName: 'aws-waf-logs-sra-app' }) } })).hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'AwsWafLogDeliveryWrite',
              Principal: { Service: 'delivery.logs.amazonaws.com' },
              Action: 's3:PutObject',
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 's3:x-amz-acl': 'bucket-owner-full-control' }, ArnLike: Match.anyValue() },
            }),
            Match.objectLike({ Sid: 'AwsWafLogDeliveryAclCheck', Action: 's3:GetBucketAcl' }),
          ]),
        },
      });
    });
  });

  test('block lists come first; allow lists block everything outside them', () => {
    const template = plain(() => ({ ipLists: { deny: ['198.51.100.0/24'], allow: ['203.0.113.0/24'] }, geoLists: { deny: ['KP'], allow: ['DE', 'FR'] } }));
    const all = rules(template);
    expect(all.map((r) => r.Name)).toEqual(['DeniedAddresses', 'NotAllowedAddresses', 'DeniedCountries', 'NotAllowedCountries', ...BASELINE]);
    expect(all[0]!.Statement).toEqual({ IPSetReferenceStatement: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/DeniedAddresses/), 'Arn'] } } });
    expect(all[1]!.Statement.NotStatement.Statement.IPSetReferenceStatement).toBeDefined();
    expect(all[2]!.Statement).toEqual({ GeoMatchStatement: { CountryCodes: ['KP'] } });
    expect(all[3]!.Statement).toEqual({ NotStatement: { Statement: { GeoMatchStatement: { CountryCodes: ['DE', 'FR'] } } } });
    for (const rule of all.slice(0, 4)) expect(rule).toMatchObject({ Action: { Block: {} }, VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true } });
    template.hasResourceProperties('AWS::WAFv2::IPSet', { Scope: 'REGIONAL', IPAddressVersion: 'IPV4', Addresses: ['198.51.100.0/24'] });
  });

  test('a Windows fleet gets the Windows group instead of the Linux and POSIX ones; the rate limit is adjustable', () => {
    const names = rules(plain(() => ({ operatingSystem: 'windows', rateLimit: 500 })));
    expect(names.map((r) => r.Name)).toEqual([...BASELINE.slice(0, 5), 'AWSManagedRulesWindowsRuleSet']);
    expect(names[0]!.Statement.RateBasedStatement.Limit).toBe(500);
  });

  test.each([
    ['an S3 bucket without the aws-waf-logs- prefix', ((scope) => ({ logging: { kind: 's3', bucket: s3.Bucket.fromBucketName(scope, 'B', 'sra-waf-logs') } })) as Overrides, /logging\.bucket must be named with the "aws-waf-logs-" prefix/],
    ['a created S3 bucket without the prefix', ((scope) => ({ logging: { kind: 's3', bucket: new s3.Bucket(scope, 'B', { bucketName: 'waf-logs' }) } })) as Overrides, /logging\.bucket must be named with the "aws-waf-logs-" prefix/],
    ['a log group name without the prefix', ((_s, key) => ({ logging: { kind: 'cloudWatchLogs', key, retentionDays: 30, logGroupName: 'waf' } })) as Overrides, /logging\.logGroupName must start with "aws-waf-logs-"/],
    ['a malformed CIDR', (() => ({ ipLists: { deny: ['10.0.0.0/33'] } })) as Overrides, /ipLists\.deny must be a non-empty list of IPv4 CIDRs/],
    ['an empty allow list', (() => ({ ipLists: { allow: [] } })) as Overrides, /ipLists\.allow must be a non-empty list/],
    ['a lower-case country code', (() => ({ geoLists: { allow: ['de'] } })) as Overrides, /geoLists\.allow must be a non-empty list of upper-case ISO 3166/],
    ['a rate limit below 10', (() => ({ rateLimit: 5 })) as Overrides, /rateLimit must be a whole number of requests from 10/],
    ['a name with spaces', (() => ({ name: 'sra app' })) as Overrides, /name may use letters, digits/],
  ])('refuses %s', (_name, overrides, message) => {
    expect(() => plain(overrides)).toThrow(message);
  });
});
