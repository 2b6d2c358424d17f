import { z } from 'zod';

/** The CDK's default bootstrap qualifier. */
export const DEFAULT_QUALIFIER = 'hnb659fds';

/** Placeholders the CDK's synthesizer resolves per stack; the policies of this app resolve them the same way. */
const PLACEHOLDERS = ['${AWS::Partition}', '${AWS::AccountId}', '${AWS::Region}', '${Qualifier}'] as const;

const ROLE_ARN = /^arn:(aws[a-z-]*|\$\{AWS::Partition\}):iam::(\d{12}|\$\{AWS::AccountId\}):role\/([\w+=,.@/-]|\$\{(AWS::AccountId|AWS::Region|Qualifier)\}){1,512}$/;

const roleArn = (what: string) =>
  z.string().regex(ROLE_ARN, `must be an IAM role ARN for ${what}, like arn:aws:iam::111111111111:role/pipeline-cfn-exec (\${AWS::AccountId}, \${AWS::Region} and \${Qualifier} are filled in per environment)`);

/**
 * How the stacks are deployed: the CDK bootstrap they use (its qualifier) and
 * the roles CloudFormation and the CLI act as. The execution role creates the
 * keys, so their policies name it (KMS refuses a key policy that would lock
 * out its creator), and the data perimeters exempt it.
 */
export const deployment = z.strictObject({
  /** `cdk bootstrap --qualifier`: names the bootstrap's bucket, roles and version parameter. */
  qualifier: z.string().regex(/^[a-z0-9]{1,10}$/, 'must be 1-10 lowercase letters or digits, as given to cdk bootstrap --qualifier').default(DEFAULT_QUALIFIER),
  /** The role CloudFormation deploys as (a pipeline's execution role). Default: the bootstrap's cdk-<qualifier>-cfn-exec-role-<account>-<region>. */
  cloudFormationExecutionRoleArn: roleArn('CloudFormation to deploy as').optional(),
  /** The role the CLI assumes to start deployments. Default: the bootstrap's cdk-<qualifier>-deploy-role-<account>-<region>. */
  deployRoleArn: roleArn('the CLI to deploy with').optional(),
});

export type DeploymentConfig = z.output<typeof deployment>;

/** The deployment settings of one environment, placeholders filled in. */
export interface DeploymentSettings {
  readonly qualifier: string;
  /** Configured execution role ARN; absent means the bootstrap's (built by the constructs, partition as a token). */
  readonly cloudFormationExecutionRoleArn?: string;
  readonly deployRoleArn?: string;
}

/** Fills in `${AWS::AccountId}`, `${AWS::Region}`, `${AWS::Partition}` and `${Qualifier}` for one environment. */
export function resolveDeployment(config: DeploymentConfig, account: string, region: string): DeploymentSettings {
  const fill = (arn: string | undefined) =>
    arn
      ?.replaceAll(PLACEHOLDERS[0], partitionOf(region))
      .replaceAll(PLACEHOLDERS[1], account)
      .replaceAll(PLACEHOLDERS[2], region)
      .replaceAll(PLACEHOLDERS[3], config.qualifier);
  return {
    qualifier: config.qualifier,
    cloudFormationExecutionRoleArn: fill(config.cloudFormationExecutionRoleArn),
    deployRoleArn: fill(config.deployRoleArn),
  };
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** A role of another account cannot deploy into an environment: refuse a fixed account that differs from one. */
export function checkDeployment(config: { deployment?: unknown; environments?: unknown }, ctx: z.RefinementCtx): void {
  const section = config.deployment as Partial<Record<'cloudFormationExecutionRoleArn' | 'deployRoleArn', unknown>> | undefined;
  if (!section || typeof section !== 'object' || !Array.isArray(config.environments)) return;
  for (const field of ['cloudFormationExecutionRoleArn', 'deployRoleArn'] as const) {
    const arn = section[field];
    if (typeof arn !== 'string') continue;
    const account = /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1];
    if (!account) continue;
    const others = (config.environments as { name?: unknown; account?: unknown }[]).filter((e) => typeof e?.account === 'string' && e.account !== account);
    if (others.length === 0) continue;
    ctx.addIssue({
      code: 'custom',
      path: ['deployment', field],
      message: `names account ${account}, but environment ${JSON.stringify(others[0]!.name)} deploys into ${String(others[0]!.account)}; write \${AWS::AccountId} in place of the account id`,
    });
  }
}
