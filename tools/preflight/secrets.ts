import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { describeError, isError, parseArn } from './aws-errors';
import type { Check, CheckContext, CheckResult } from './types';

/** The secrets the config names, by the field that names them. */
function namedSecrets(ctx: CheckContext): { field: string; arn: string }[] {
  const out: { field: string; arn: string }[] = [];
  const auth = ctx.config.application.authentication;
  if (auth.kind === 'oidc') out.push({ field: 'application.authentication.clientSecretArn', arn: auth.clientSecretArn });
  if (ctx.config.detection.webhook) out.push({ field: 'detection.webhook.secretArn', arn: ctx.config.detection.webhook.secretArn });
  return out;
}

/**
 * Each secret the config names exists in the environment's Region and is
 * encrypted with the secrets key: the key the stacks grant its readers. In
 * central mode that is `keys.centralKeyArns.secrets`; with local keys it is the
 * key ring's `alias/<name>/<environment>/secrets`, which exists only after the
 * first deployment.
 */
export const secrets: Check = async (ctx) => {
  const results: CheckResult[] = [];
  for (const { field, arn } of namedSecrets(ctx)) {
    const parts = parseArn(arn)!;
    if (parts.region !== ctx.settings.region) {
      results.push({ status: 'FAIL', check: 'secret', detail: `${field} ${arn} is in ${parts.region}, the environment is in ${ctx.settings.region}`, remedy: `create the secret in ${ctx.settings.region} (or replicate it there) and set ${field}` });
      continue;
    }
    let kmsKeyId: string | undefined;
    try {
      kmsKeyId = (await ctx.clients.secretsManager.send(new DescribeSecretCommand({ SecretId: arn }))).KmsKeyId;
    } catch (error) {
      if (!isError(error, 'ResourceNotFoundException')) throw error;
      results.push({ status: 'FAIL', check: 'secret', detail: `${field} ${arn} does not exist`, remedy: `create it in Secrets Manager in ${ctx.settings.region}, encrypted with the secrets key, and set ${field} to its ARN` });
      continue;
    }
    results.push(await encryption(ctx, field, arn, kmsKeyId));
  }
  return results;
};

async function encryption(ctx: CheckContext, field: string, arn: string, kmsKeyId: string | undefined): Promise<CheckResult> {
  const k = ctx.settings.keys;
  const expected = k.mode === 'central' && k.centralKeyArns ? k.centralKeyArns.secrets : `alias/${ctx.settings.appName}/${ctx.settings.name}/secrets`;
  const remedy = `aws secretsmanager update-secret --secret-id ${arn} --kms-key-id ${expected}`;
  if (!kmsKeyId) return { status: 'FAIL', check: 'secret', detail: `${field} is encrypted with the AWS managed key, which the stacks' grants do not cover`, remedy };
  const actual = await keyArnOf(ctx, kmsKeyId);
  let wanted: string | undefined;
  try {
    wanted = (await ctx.clients.kms.send(new DescribeKeyCommand({ KeyId: expected }))).KeyMetadata?.Arn;
  } catch (error) {
    if (!isError(error, 'NotFoundException')) throw error;
  }
  if (!wanted) {
    // Local keys are created by the first deployment: the secret can be re-encrypted only afterwards.
    return { status: 'WARN', check: 'secret', detail: `${field} exists, encrypted with ${actual}; the secrets key ${expected} does not exist yet`, remedy: `after the first deployment: ${remedy}` };
  }
  if (actual !== wanted) return { status: 'FAIL', check: 'secret', detail: `${field} is encrypted with ${actual}, not the secrets key ${wanted}`, remedy };
  return { status: 'PASS', check: 'secret', detail: `${field} exists, encrypted with the secrets key` };
}

/** A key id, alias or ARN as the key's ARN (as far as it can be read). */
async function keyArnOf(ctx: CheckContext, keyId: string): Promise<string> {
  try {
    return (await ctx.clients.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.Arn ?? keyId;
  } catch (error) {
    return `${keyId} (${describeError(error)})`;
  }
}
