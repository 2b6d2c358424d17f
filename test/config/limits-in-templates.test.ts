import { validateConfig } from '../../src/config';
import { baseName, longestBaseName, naclRuleCounts, OUR_TAGS_PER_RESOURCE, physicalNames, type NameInput } from '../../src/config/limits';
import { synthesize } from '../helpers/app';
import { all, configErrorOf, devWith, set } from './helpers';

/**
 * The loader's tables must describe what the stacks really write: this
 * synthesizes the longest names the loader allows and compares the templates
 * with the name table, the count of our own tags, and the network ACL rule count.
 */
const ENV = 'e'.repeat(16);
// The dev config's switches: local keys, the Response stack on, the clean room off.
const input: NameInput = { appName: 'x', envName: ENV, account: '111111111111', region: 'eu-west-1', engine: 'aurora-postgresql', wafLogsToS3: true, localKeys: true, response: true, cleanRoom: false };
// The longest <name>-<environment> for this account, region and WAF log destination.
const longest = longestBaseName(input);
const APP = 'a'.repeat(longest - ENV.length - 1);
const longestConfig = all(set('name', APP), set('environments.0.name', ENV), set('application.waf.logDestination', 's3'));

/** The most characters AWS allows, per resource type and name property. */
const AWS_LIMITS: Readonly<Record<string, number>> = {
  'AWS::S3::Bucket BucketName': 63,
  'AWS::IAM::Role RoleName': 64,
  'AWS::IAM::ServiceLinkedRole CustomSuffix': 64 - 'AWSServiceRoleForAutoScaling_'.length,
  'AWS::IAM::ManagedPolicy ManagedPolicyName': 128,
  'AWS::IAM::Policy PolicyName': 128,
  'AWS::Lambda::Function FunctionName': 64,
  'AWS::Logs::LogGroup LogGroupName': 512,
  'AWS::SNS::Topic TopicName': 256,
  'AWS::SQS::Queue QueueName': 80,
  'AWS::CloudWatch::Alarm AlarmName': 255,
  'AWS::ElasticLoadBalancingV2::LoadBalancer Name': 32,
  'AWS::ElasticLoadBalancingV2::TargetGroup Name': 32,
  'AWS::Events::Rule Name': 64,
  'AWS::StepFunctions::StateMachine StateMachineName': 80,
  'AWS::Config::ConfigRule ConfigRuleName': 128,
  'AWS::Backup::BackupVault BackupVaultName': 50,
  'AWS::RDS::DBCluster DBClusterIdentifier': 63,
  'AWS::WAFv2::WebACL Name': 128,
  'AWS::SSM::Document Name': 128,
  'AWS::SSM::PatchBaseline Name': 128,
  'AWS::SSM::Association AssociationName': 128,
  'AWS::SSM::MaintenanceWindow Name': 128,
  'AWS::SSM::MaintenanceWindowTarget Name': 128,
  'AWS::SSM::MaintenanceWindowTask Name': 128,
  'AWS::KMS::Alias AliasName': 256,
  'AWS::SecretsManager::Secret Name': 512,
  'AWS::EC2::LaunchTemplate LaunchTemplateName': 128,
  'AWS::Athena::WorkGroup Name': 128,
  'AWS::SSM::Parameter Name': 1011,
  'AWS::ImageBuilder::ImagePipeline Name': 128,
  'AWS::ImageBuilder::ImageRecipe Name': 128,
  'AWS::ImageBuilder::InfrastructureConfiguration Name': 128,
  'AWS::ImageBuilder::DistributionConfiguration Name': 128,
  'AWS::ImageBuilder::LifecyclePolicy Name': 128,
  'AWS::ImageBuilder::Component Name': 128,
};

describe('name lengths', () => {
  test('one character more than the longest allowed is refused, naming the limit', () => {
    const error = configErrorOf(() => validateConfig(devWith(longestConfig, set('name', `${APP}a`))));
    expect(error.problems).toEqual([expect.stringMatching(/^environments\[0\]\.name: name "a+" \+ environment "e{16}" make the S3 bucket name \(WAF logs.*64 characters; AWS allows 63/)]);
  });

  describe('the longest allowed name synthesizes, and every name in it is in the table and within its limit', () => {
    const config = validateConfig(devWith(longestConfig));
    const synthesized = synthesize(config);
    const table = physicalNames({ ...input, appName: APP });
    const base = baseName({ appName: APP, envName: ENV });

    /** Every literal name property in the templates, as [type property, name]. */
    const found: [string, string][] = [];
    for (const template of Object.values(synthesized.json)) {
      for (const resource of Object.values(template.Resources)) {
        const props = resource.Properties ?? {};
        for (const [key, value] of Object.entries(props)) {
          if (typeof value === 'string' && `${resource.Type} ${key}` in AWS_LIMITS) found.push([`${resource.Type} ${key}`, value]);
        }
        const plan = props.BackupPlan as { BackupPlanName?: unknown } | undefined;
        if (typeof plan?.BackupPlanName === 'string') found.push(['AWS::Backup::BackupPlan BackupPlan.BackupPlanName', plan.BackupPlanName]);
        const metric = (props.VisibilityConfig as { MetricName?: unknown } | undefined)?.MetricName;
        if (resource.Type === 'AWS::WAFv2::WebACL' && typeof metric === 'string') found.push(['AWS::WAFv2::WebACL VisibilityConfig.MetricName', metric]);
        const fn = (props.Parameters as { functionName?: unknown } | undefined)?.functionName;
        if (resource.Type === 'AWS::Serverless::Application' && typeof fn === 'string') found.push(['AWS::Serverless::Application Parameters.functionName', fn]);
      }
    }

    test('the templates hold the names the table predicts', () => {
      // Sanity: the search finds the names of the six stacks' main resources, the Response stack's among them.
      expect(found.length).toBeGreaterThan(15);
      expect(found.map(([where]) => where)).toEqual(expect.arrayContaining(['AWS::IAM::Role RoleName', 'AWS::StepFunctions::StateMachine StateMachineName']));
      const predicted = new Set(table.map((p) => `${p.type} ${p.property} ${p.name}`));
      const tableNames = table.map((p) => p.name);
      for (const [where, name] of found) {
        const derived = name.includes(base) || name.includes(ENV) || name.includes(APP);
        if (!derived) continue;
        const full = where === 'AWS::IAM::ServiceLinkedRole CustomSuffix' ? `AWSServiceRoleForAutoScaling_${name}` : name;
        // CDK-generated Lambda names end in an 8-character hash; the table holds its length.
        const known = predicted.has(`${where} ${full}`) || tableNames.some((t) => /0{8}$/.test(t) && t.length === full.length && full.startsWith(t.slice(0, -8)));
        expect({ where, name: full, inTable: known }).toEqual({ where, name: full, inTable: true });
      }
      // And the other way round: every table entry for a resource type appears in the templates.
      for (const entry of table.filter((p) => p.type.startsWith('AWS::') && !['AWS::IAM::ManagedPolicy', 'AWS::EC2::LaunchTemplate'].includes(p.type))) {
        const present = found.some(([where, name]) => {
          const full = where === 'AWS::IAM::ServiceLinkedRole CustomSuffix' ? `AWSServiceRoleForAutoScaling_${name}` : name;
          return where === `${entry.type} ${entry.property}` && (full === entry.name || (/0{8}$/.test(entry.name) && full.length === entry.name.length));
        });
        expect({ entry: entry.name, present }).toEqual({ entry: entry.name, present: true });
      }
    });

    test('every name is within the limit AWS sets for it', () => {
      for (const [where, name] of found) {
        const limit = AWS_LIMITS[where] ?? { 'AWS::Backup::BackupPlan BackupPlan.BackupPlanName': 50, 'AWS::WAFv2::WebACL VisibilityConfig.MetricName': 255 }[where] ?? 64;
        expect({ where, name, length: [...name].length <= limit }).toEqual({ where, name, length: true });
      }
    });

    test('stack names are the table\'s and within 128', () => {
      const stackNames = synthesized.built.stages[0]!.node.children.map((c) => (c as { stackName?: string }).stackName).filter((n): n is string => !!n);
      expect(stackNames.sort()).toEqual(table.filter((p) => p.type === 'stack').map((p) => p.name).sort());
      for (const name of stackNames) expect(name.length).toBeLessThanOrEqual(128);
    });

    test('the stacks the switches add or remove are the table\'s', () => {
      // Response stack off, clean room on: the table follows both switches.
      const switched = validateConfig(devWith(longestConfig, set('response', { enabled: false, cleanRoom: { enabled: true } })));
      const stackNames = synthesize(switched).built.stages[0]!.node.children.map((c) => (c as { stackName?: string }).stackName).filter((n): n is string => !!n);
      const switchedTable = physicalNames({ ...input, appName: APP, response: false, cleanRoom: true });
      expect(stackNames).toContain(`${base}-clean-room`);
      expect(stackNames).not.toContain(`${base}-response`);
      expect(stackNames.sort()).toEqual(switchedTable.filter((p) => p.type === 'stack').map((p) => p.name).sort());
    });

    test('the binding limit is reached exactly', () => {
      expect(base.length).toBe(longest);
      expect(Math.max(...table.map((p) => [...p.name].length - p.max))).toBe(0);
    });

    test(`no resource carries more than ${OUR_TAGS_PER_RESOURCE} tags of our own`, () => {
      const configTags = new Set(Object.keys(config.tags).filter((key) => key !== 'Owner'));
      let most = 0;
      for (const template of Object.values(synthesized.json)) {
        for (const resource of Object.values(template.Resources)) {
          const tags = resource.Properties?.Tags;
          const keys = Array.isArray(tags) ? tags.map((t: { Key?: string }) => t.Key) : tags && typeof tags === 'object' ? Object.keys(tags) : [];
          const ours = keys.filter((key) => typeof key === 'string' && !configTags.has(key));
          most = Math.max(most, ours.length);
        }
      }
      expect(most).toBeGreaterThanOrEqual(5);
      expect(most).toBeLessThanOrEqual(OUR_TAGS_PER_RESOURCE);
    });

    test('the network ACLs hold exactly the rules the quota arithmetic counts', () => {
      const entries = Object.entries(synthesized.json.Network!.Resources).filter(([, r]) => r.Type === 'AWS::EC2::NetworkAclEntry');
      const counted: Record<string, number> = {};
      for (const [, entry] of entries) {
        const acl = (entry.Properties!.NetworkAclId as { Ref: string }).Ref;
        const tier = /Public/.test(acl) ? 'public' : /App/.test(acl) ? 'app' : 'data';
        const key = `${tier} ${entry.Properties!.Egress ? 'outbound' : 'inbound'}`;
        counted[key] = (counted[key] ?? 0) + 1;
      }
      const expected = Object.fromEntries(naclRuleCounts({ ingressCidrs: config.network.ingressCidrs.length, zones: 2, natEgress: true }).map((c) => [`${c.tier} ${c.direction}`, c.rules]));
      expect(counted).toEqual(expected);
    });
  });
});
