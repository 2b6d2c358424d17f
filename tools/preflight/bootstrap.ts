import { DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { isError } from './aws-errors';
import type { Check } from './types';

/** The bootstrap stack's default name. */
export const TOOLKIT_STACK = 'CDKToolkit';

/**
 * The environment is bootstrapped with the qualifier the deployment uses, at
 * the version the synthesized templates require (each template's
 * CheckBootstrapVersion rule refuses an older one).
 */
export const bootstrap: Check = async ({ clients, settings, plan, qualifier }) => {
  const command = `npx cdk bootstrap aws://${settings.account}/${settings.region} --qualifier ${qualifier}`;
  let stack: Stack | undefined;
  try {
    stack = (await clients.cloudFormation.send(new DescribeStacksCommand({ StackName: TOOLKIT_STACK }))).Stacks?.[0];
  } catch (error) {
    if (!isError(error, 'ValidationError')) throw error;
  }
  if (!stack) return [{ status: 'FAIL', check: 'cdk-bootstrap', detail: `no ${TOOLKIT_STACK} stack in ${settings.region}`, remedy: `run ${command}` }];

  const stackQualifier = stack.Parameters?.find((p) => p.ParameterKey === 'Qualifier')?.ParameterValue;
  const results = [];
  if (stackQualifier !== undefined && stackQualifier !== qualifier) {
    results.push({
      status: 'WARN' as const,
      check: 'cdk-bootstrap',
      detail: `${TOOLKIT_STACK} was bootstrapped with qualifier ${stackQualifier}, the deployment uses ${qualifier}`,
      remedy: `set deployment.qualifier: ${stackQualifier}, or ${command}`,
    });
  }
  const parameter = `/cdk-bootstrap/${qualifier}/version`;
  let version: number | undefined;
  try {
    version = Number((await clients.ssm.send(new GetParameterCommand({ Name: parameter }))).Parameter?.Value);
  } catch (error) {
    if (!isError(error, 'ParameterNotFound')) throw error;
  }
  if (version === undefined || Number.isNaN(version)) {
    return [...results, { status: 'FAIL', check: 'cdk-bootstrap', detail: `no bootstrap version parameter ${parameter}: not bootstrapped with qualifier ${qualifier}`, remedy: `run ${command}` }];
  }
  if (version < plan.requiredBootstrapVersion) {
    return [
      ...results,
      { status: 'FAIL', check: 'cdk-bootstrap', detail: `bootstrap version ${version} (${parameter}); the templates require ${plan.requiredBootstrapVersion} or later`, remedy: `run ${command} to upgrade` },
    ];
  }
  return [...results, { status: 'PASS', check: 'cdk-bootstrap', detail: `qualifier ${qualifier}, version ${version} (templates require ${plan.requiredBootstrapVersion} or later)` }];
};
