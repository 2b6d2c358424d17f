import { ListAnalyzersCommand, type Type } from '@aws-sdk/client-accessanalyzer';
import type { ExistingResourceSwitch } from '../../src/config';
import { applies, singletonVerdict } from './singleton';
import type { Check, CheckContext, CheckResult } from './types';

const ANALYZERS: readonly { type: Type; name: ExistingResourceSwitch; check: string }[] = [
  { type: 'ACCOUNT', name: 'externalAccessAnalyzer', check: 'access-analyzer-external' },
  { type: 'ACCOUNT_UNUSED_ACCESS', name: 'unusedAccessAnalyzer', check: 'access-analyzer-unused' },
];

/** One account-level analyzer of each type per account and Region. */
export const accessAnalyzers: Check = async (ctx) => {
  const results: CheckResult[] = [];
  for (const { type, name, check } of ANALYZERS) {
    if (!applies(ctx, name)) continue;
    const analyzers = (await ctx.clients.accessAnalyzer.send(new ListAnalyzersCommand({ type }))).analyzers ?? [];
    const existing = analyzers[0];
    results.push(singletonVerdict(ctx, name, check, existing && `analyzer ${existing.name} (${existing.status})`, createsAnalyzer(ctx, type)));
  }
  return results;
};

/** The templates' analyzers are not told apart by count, so this reads the switch the stacks honour. */
function createsAnalyzer(ctx: CheckContext, type: Type): boolean {
  const name = ANALYZERS.find((a) => a.type === type)!.name;
  return (ctx.plan.resourceCounts['AWS::AccessAnalyzer::Analyzer'] ?? 0) > 0 && ctx.settings.existingResources[name] === 'create';
}
