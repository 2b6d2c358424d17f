import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './app';

/** The environment without any AWS credentials or profile, and a HOME with no ~/.aws. */
export function credentialFreeEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_') && !key.startsWith('CDK_')) env[key] = value;
  return { ...env, HOME: mkdtempSync(join(tmpdir(), 'sra-home-')), CDK_DISABLE_VERSION_CHECK: '1', AWS_EC2_METADATA_DISABLED: 'true' };
}

/** Runs a repository binary (from node_modules/.bin) with no credentials. */
export function run(bin: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', bin), args, { cwd: REPO_ROOT, env: { ...credentialFreeEnv(), ...env }, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
