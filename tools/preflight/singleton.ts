import { SINGLETONS, type ExistingResourceSwitch } from '../../src/config';
import { switchSetting } from './remedy';
import type { CheckContext, CheckResult } from './types';

/**
 * The verdict on one account singleton: the stacks may create it only where
 * it does not exist, and may adopt it only where it does.
 *
 * @param existing what the account has (e.g. `detector 6ac9…`), or undefined when it has none
 * @param createdByStacks whether the synthesized templates create it
 * @param adoptValue the switch value that adopts the existing one
 */
export function singletonVerdict(ctx: CheckContext, name: ExistingResourceSwitch, check: string, existing: string | undefined, createdByStacks: boolean, adoptValue = 'adopt'): CheckResult {
  const what = SINGLETONS[name].what;
  if (createdByStacks && existing) {
    return { status: 'FAIL', check, detail: `the account already has ${what} (${existing}); creating it would fail`, remedy: switchSetting(ctx, name, adoptValue) };
  }
  if (createdByStacks) return { status: 'PASS', check, detail: `none yet; the stacks create ${what}` };
  if (existing) return { status: 'PASS', check, detail: `adopted: ${existing}` };
  return { status: 'FAIL', check, detail: `the config adopts ${what}, but the account has none`, remedy: switchSetting(ctx, name, 'create') };
}

/** Whether the stacks deal with this singleton at all in the environment's mode (organization mode leaves some to the organization). */
export function applies(ctx: CheckContext, name: ExistingResourceSwitch): boolean {
  return ctx.settings.mode === 'standalone' || !SINGLETONS[name].standaloneOnly;
}
