/**
 * Every physical name the stacks give a resource, derived from `name` and the
 * environment, with the limit AWS sets for it. The stacks build these names
 * themselves (data-stack.ts, application-stack.ts, security-stack.ts,
 * response-stack.ts, patch-management.ts, responder-roles.ts,
 * incident-workflows.ts, workload-stage.ts); test/config/limits-in-templates.test.ts
 * synthesizes the longest allowed names and compares every name in the
 * templates with this table, so the two cannot drift apart.
 */
export interface NameInput {
  readonly appName: string;
  readonly envName: string;
  readonly account: string;
  readonly region: string;
  readonly engine: 'aurora-postgresql' | 'aurora-mysql';
  readonly wafLogsToS3: boolean;
  /** `keys.mode` is local: the stacks create the keys and their aliases (central mode uses the security account's keys). */
  readonly localKeys: boolean;
  /** `response.enabled`: the Response stack (evidence bucket, responder roles, incident workflows). */
  readonly response: boolean;
  /** `response.cleanRoom.enabled`: the clean-room stack. */
  readonly cleanRoom: boolean;
  /** `application.image.source` is hardened: the Image stack and its Image Builder resources. @default true */
  readonly hardenedImage?: boolean;
  /** `application.osBaseline.enabled`: the OS baseline association. @default true */
  readonly osBaseline?: boolean;
}

export interface PhysicalName {
  /** What AWS calls the resource and its name property. */
  readonly what: string;
  readonly type: string;
  readonly property: string;
  readonly name: string;
  readonly max: number;
}

/** Stack tiers every environment has, as workload-stage.ts names the stacks. */
const TIERS = ['security', 'network', 'data', 'detection', 'application', 'analytics'] as const;
/** Aliases of the keys the Security stack creates in local key mode (the key ring's and the account's EBS default). */
const KEY_PURPOSES = ['data', 'logs', 'secrets', 'backup', 'operations', 'ebs-default'] as const;
/** The incident workflows, named `<stack>-incident-<workflow>` (incident-workflows.ts). */
const INCIDENT_WORKFLOWS = ['isolation', 'release'] as const;

/** `<name>-<environment>`, the prefix of every name below. */
export function baseName(input: Pick<NameInput, 'appName' | 'envName'>): string {
  return `${input.appName}-${input.envName}`;
}

export function physicalNames(input: NameInput): PhysicalName[] {
  const n = baseName(input);
  const { account, region } = input;
  const names: PhysicalName[] = [
    { what: 'S3 bucket name (application data)', type: 'AWS::S3::Bucket', property: 'BucketName', name: `${n}-data-${account}-${region}`, max: 63 },
    { what: 'IAM role name of the Auto Scaling service-linked role (AWSServiceRoleForAutoScaling_<suffix>)', type: 'AWS::IAM::ServiceLinkedRole', property: 'CustomSuffix', name: `AWSServiceRoleForAutoScaling_${n}`, max: 64 },
    { what: 'Aurora cluster identifier', type: 'AWS::RDS::DBCluster', property: 'DBClusterIdentifier', name: n, max: 63 },
    { what: 'CloudWatch Logs log group name (Aurora logs)', type: 'AWS::Logs::LogGroup', property: 'LogGroupName', name: `/aws/rds/cluster/${n}/${input.engine === 'aurora-mysql' ? 'slowquery' : 'postgresql'}`, max: 512 },
    { what: 'AWS Backup vault name', type: 'AWS::Backup::BackupVault', property: 'BackupVaultName', name: n, max: 50 },
    { what: 'AWS Backup plan name', type: 'AWS::Backup::BackupPlan', property: 'BackupPlan.BackupPlanName', name: n, max: 50 },
    // WAF allows 128; the WebAcl construct holds names to 100.
    { what: 'WAF web ACL name', type: 'AWS::WAFv2::WebACL', property: 'Name', name: n, max: 100 },
    { what: 'WAF metric name', type: 'AWS::WAFv2::WebACL', property: 'VisibilityConfig.MetricName', name: n, max: 128 },
    // SSM allows 128; the PatchManagement construct holds its base name to 100.
    { what: 'SSM patch baseline name', type: 'AWS::SSM::PatchBaseline', property: 'Name', name: `${n}-al2023`, max: 128 },
    { what: 'SSM association name', type: 'AWS::SSM::Association', property: 'AssociationName', name: `${n}-patch-scan`, max: 128 },
    { what: 'SSM association name', type: 'AWS::SSM::Association', property: 'AssociationName', name: `${n}-inventory`, max: 128 },
    { what: 'SSM maintenance window name', type: 'AWS::SSM::MaintenanceWindow', property: 'Name', name: `${n}-patch-install`, max: 128 },
    { what: 'SSM maintenance window target name', type: 'AWS::SSM::MaintenanceWindowTarget', property: 'Name', name: `${n}-fleet`, max: 128 },
    { what: 'SSM maintenance window task name', type: 'AWS::SSM::MaintenanceWindowTask', property: 'Name', name: `${n}-install`, max: 128 },
    { what: 'SSM patch base name (PatchManagement construct)', type: '', property: '', name: n, max: 100 },
    { what: 'CloudWatch metric namespace', type: 'AWS::IAM::ManagedPolicy', property: 'cloudwatch:namespace', name: `SRA/${n}`, max: 255 },
    { what: 'EC2 tag value (Fleet)', type: 'AWS::EC2::LaunchTemplate', property: 'Fleet', name: n, max: 256 },
    // Lambda names CDK derives from the construct path (stage id, stack id, construct id, 8-character hash).
    // investigationWorkgroupName() and logDatabaseName() in src/constructs/analytics/investigation-workgroup.ts.
    { what: 'Athena workgroup name (investigation)', type: 'AWS::Athena::WorkGroup', property: 'Name', name: `${n}-investigation`, max: 128 },
    { what: 'Glue database name (log catalog)', type: '', property: '', name: `${n}_logs`, max: 255 },
    ...TIERS.map((tier) => stack(n, tier)),
  ];
  const alias = (purpose: string): PhysicalName => ({ what: 'KMS alias name', type: 'AWS::KMS::Alias', property: 'AliasName', name: `alias/${input.appName}/${input.envName}/${purpose}`, max: 256 });
  if (input.localKeys) {
    names.push(...KEY_PURPOSES.map(alias));
    // The Data stack's token vault has a key of its own in local mode (central mode: the data key).
    names.push(alias('token-vault'));
  }
  if (input.response) {
    const responseStack = stack(n, 'response');
    names.push(
      responseStack,
      // evidenceBucketName() in src/config/response.ts.
      { what: 'S3 bucket name (incident evidence)', type: 'AWS::S3::Bucket', property: 'BucketName', name: `${n}-evidence-${account}`, max: 63 },
      { what: 'IAM role name (incident investigator)', type: 'AWS::IAM::Role', property: 'RoleName', name: `${n}-investigator`, max: 64 },
      { what: 'IAM role name (incident responder)', type: 'AWS::IAM::Role', property: 'RoleName', name: `${n}-responder`, max: 64 },
      ...INCIDENT_WORKFLOWS.map((workflow) => ({
        what: `Step Functions state machine name (incident ${workflow})`,
        type: 'AWS::StepFunctions::StateMachine',
        property: 'StateMachineName',
        name: `${responseStack.name}-incident-${workflow}`,
        max: 80,
      })),
    );
    // Central mode: evidence is encrypted with the security account's logs key.
    if (input.localKeys) names.push(alias('evidence'));
  }
  if (input.cleanRoom) names.push(stack(n, 'clean-room'));
  if (input.osBaseline ?? true) names.push({ what: 'SSM association name', type: 'AWS::SSM::Association', property: 'AssociationName', name: `${n}-os-baseline`, max: 128 });
  if (input.hardenedImage ?? true) {
    // image-stack.ts and image-pipeline.ts: every Image Builder resource is named `<name>-<environment>-fleet`.
    const image = `${n}-fleet`;
    names.push(
      stack(n, 'image'),
      ...['ImagePipeline', 'ImageRecipe', 'InfrastructureConfiguration', 'DistributionConfiguration', 'LifecyclePolicy'].map((type) => ({
        what: `Image Builder ${type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} name`,
        type: `AWS::ImageBuilder::${type}`,
        property: 'Name',
        name: image,
        max: 128,
      })),
      { what: 'Image Builder component name (OS baseline audit rules)', type: 'AWS::ImageBuilder::Component', property: 'Name', name: `${image}-audit-rules`, max: 128 },
      { what: 'CloudWatch Logs log group name (image builds)', type: 'AWS::Logs::LogGroup', property: 'LogGroupName', name: `/aws/imagebuilder/${image}`, max: 512 },
      { what: 'SSM parameter name (fleet image id)', type: 'AWS::SSM::Parameter', property: 'Name', name: `/${input.appName}/${input.envName}/fleet/image-id`, max: 1011 },
    );
  }
  if (input.wafLogsToS3) {
    names.push({ what: 'S3 bucket name (WAF logs, which WAF requires to start with aws-waf-logs-)', type: 'AWS::S3::Bucket', property: 'BucketName', name: `aws-waf-logs-${n}-${account}-${region}`, max: 63 });
  }
  return names;
}

function stack(base: string, tier: string): PhysicalName {
  return { what: 'CloudFormation stack name', type: 'stack', property: 'StackName', name: `${base}-${tier}`, max: 128 };
}

/** The longest `<name>-<environment>` every name above still fits, for the message. */
export function longestBaseName(input: NameInput): number {
  const n = baseName(input).length;
  return Math.min(...physicalNames(input).filter((p) => p.name.includes(baseName(input))).map((p) => p.max - (p.name.length - n)));
}

/** The names that exceed their limit. */
export function tooLongNames(input: NameInput): PhysicalName[] {
  return physicalNames(input).filter((p) => [...p.name].length > p.max);
}

/**
 * Name rules beyond length, from the strictest resource: Aurora cluster
 * identifiers may not end with a hyphen or hold two in a row, and S3 refuses
 * bucket names with some prefixes.
 */
export function baseNameProblem(appName: string, envName: string): string | undefined {
  const n = `${appName}-${envName}`;
  if (n.includes('--')) return `"${n}" holds two hyphens in a row, which Aurora cluster identifiers may not`;
  if (n.endsWith('-')) return `"${n}" ends with a hyphen, which Aurora cluster identifiers may not`;
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(n)) return `"${n}" starts with a prefix S3 reserves (xn--, sthree-, amzn-s3-demo-)`;
  return undefined;
}
