import type { z } from 'zod';

/**
 * Instance families Traffic Mirroring cannot use as a source although they
 * are Nitro ("Traffic Mirroring limitations", Amazon VPC Traffic Mirroring
 * guide), among the families the fleet may use. Bare metal sizes cannot be
 * sources either.
 */
export const NOT_MIRROR_SOURCES: readonly string[] = [
  'm8g', 'm6a', 'm6i', 'm6id', 'm6idn', 'm6in', 'm7a', 'm7g', 'm7gd', 'm7i', 'm7i-flex',
  'c8g', 'c6a', 'c6gd', 'c6gn', 'c6i', 'c6id', 'c6in', 'c7a', 'c7g', 'c7gd', 'c7gn', 'c7i',
  'r8g', 'r6a', 'r6i', 'r6id', 'r6idn', 'r6in', 'r7a', 'r7g', 'r7gd', 'r7i', 'r7iz', 'x8g', 'x2idn', 'x2iedn', 'x2iezn',
  'i4g', 'i4i', 'im4gn', 'is4gen',
  'inf2', 'p5', 'trn1', 'trn1n',
  'hpc6a', 'hpc6id', 'hpc7a', 'hpc7g',
];

/** Why an instance type cannot be a Traffic Mirroring source, or undefined when it can. */
export function mirrorSourceProblem(instanceType: string): string | undefined {
  const [family = '', size = ''] = instanceType.split('.');
  if (size.startsWith('metal')) return `${instanceType} is bare metal, which Traffic Mirroring cannot use as a source; use a virtualized size`;
  if (NOT_MIRROR_SOURCES.includes(family)) {
    return `Traffic Mirroring cannot use ${family} instances as sources; with trafficMirroring.fleet use a family that can, such as t4g, m6g, c6g, r6g, m5 or t3`;
  }
  return undefined;
}

/** The protection group is named `<name>-<environment>-edge`; Shield allows 36 characters. */
export const PROTECTION_GROUP_SUFFIX = '-edge';
const MAX_PROTECTION_GROUP_ID = 36;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reads unvalidated input and guards each field itself
type Loose = Record<string, any>;

/**
 * Fleet mirroring needs a fleet whose instances can be sources; Shield
 * Advanced's account-wide settings (SRT access, proactive engagement) can be
 * owned by one environment of an account only.
 */
export function checkEdgeOptions(config: Loose, ctx: z.RefinementCtx): void {
  const mirroring = isRecord(config.network) && isRecord(config.network.trafficMirroring) ? config.network.trafficMirroring : undefined;
  const application = isRecord(config.application) ? config.application : {};
  if (mirroring?.fleet === true) {
    const type = typeof application.instanceType === 'string' ? application.instanceType : 't4g.small';
    const problem = mirrorSourceProblem(type);
    if (problem) ctx.addIssue({ code: 'custom', path: ['application', 'instanceType'], message: problem });
  }
  if (isRecord(application.shieldAdvanced) && application.shieldAdvanced.enabled === true && Array.isArray(config.environments)) {
    const seen = new Map<string, number>();
    config.environments.forEach((env: unknown, index: number) => {
      if (!isRecord(env)) return;
      const groupId = `${String(config.name)}-${String(env.name)}${PROTECTION_GROUP_SUFFIX}`;
      if (typeof config.name === 'string' && typeof env.name === 'string' && groupId.length > MAX_PROTECTION_GROUP_ID) {
        ctx.addIssue({
          code: 'custom',
          path: ['environments', index, 'name'],
          message: `the Shield protection group id "${groupId}" is ${groupId.length} characters; Shield allows ${MAX_PROTECTION_GROUP_ID}: shorten name or this environment's name by ${groupId.length - MAX_PROTECTION_GROUP_ID}`,
        });
      }
      if (typeof env.account !== 'string') return;
      const first = seen.get(env.account);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['environments', index, 'account'],
          message: `shares account ${env.account} with environments[${first}]; Shield Advanced's response-team access and proactive engagement are per account, so with shieldAdvanced give each environment its own account`,
        });
      } else seen.set(env.account, index);
    });
  }
}

function isRecord(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
