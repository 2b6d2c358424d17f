import type { Config } from '../../src/config';

/** The CDK's default bootstrap qualifier. */
export const DEFAULT_QUALIFIER = 'hnb659fds';

/** The bootstrap qualifier the deployment uses: `deployment.qualifier` when the config has it, else the CDK's default. */
export function bootstrapQualifier(config: Config): string {
  const deployment = (config as { deployment?: { qualifier?: unknown } }).deployment;
  return typeof deployment?.qualifier === 'string' ? deployment.qualifier : DEFAULT_QUALIFIER;
}
