import type { ExistingResourceSwitch } from '../../src/config';
import type { CheckContext } from './types';

/**
 * The exact setting for a singleton switch: config-wide when the config has
 * one environment, under `byEnvironment.<name>` otherwise (accounts differ).
 */
export function switchSetting(ctx: CheckContext, name: ExistingResourceSwitch | 'enabledSecurityHubStandards', value: string): string {
  const path = ctx.config.environments.length > 1 ? `existingResources.byEnvironment.${ctx.settings.name}.${name}` : `existingResources.${name}`;
  return `set ${path}: ${value}`;
}
