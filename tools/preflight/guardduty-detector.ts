import { GetDetectorCommand, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GUARDDUTY_FEATURES } from '../../src/constructs/detection/threat-detection';
import { adoptedDetectorId } from '../../src/config';
import { creates } from './plan';
import { switchSetting } from './remedy';
import { applies, singletonVerdict } from './singleton';
import type { Check, CheckContext, CheckResult } from './types';

/** One GuardDuty detector per account and Region: create it only where there is none; adopt only the one that is there. */
export const guardDutyDetector: Check = async (ctx) => {
  if (!applies(ctx, 'guardDutyDetector')) return [];
  const ids = (await ctx.clients.guardDuty.send(new ListDetectorsCommand({}))).DetectorIds ?? [];
  const adopted = adoptedDetectorId(ctx.settings.existingResources);
  if (adopted && ids.length > 0 && !ids.includes(adopted)) {
    return [{ status: 'FAIL', check: 'guardduty-detector', detail: `the config adopts detector ${adopted}, but the account's detector is ${ids[0]}`, remedy: switchSetting(ctx, 'guardDutyDetector', `{ adopt: ${ids[0]} }`) }];
  }
  const verdict = singletonVerdict(ctx, 'guardDutyDetector', 'guardduty-detector', ids[0] && `detector ${ids[0]}`, creates(ctx.plan, 'AWS::GuardDuty::Detector'), `{ adopt: ${ids[0]} }`);
  return adopted && verdict.status === 'PASS' ? [verdict, ...(await adoptedPlans(ctx, adopted))] : [verdict];
};

/** An adopted detector keeps its own protection plans: report the ones the stacks would have enabled that it lacks. */
async function adoptedPlans(ctx: CheckContext, detectorId: string): Promise<CheckResult[]> {
  const detector = await ctx.clients.guardDuty.send(new GetDetectorCommand({ DetectorId: detectorId }));
  const enabled = new Set((detector.Features ?? []).filter((f) => f.Status === 'ENABLED').map((f) => f.Name));
  const missing = GUARDDUTY_FEATURES.map((f) => f.name!).filter((name) => !enabled.has(name as never));
  if (detector.Status !== 'ENABLED') missing.unshift('the detector itself (suspended)');
  if (missing.length === 0) return [];
  return [{ status: 'WARN', check: 'guardduty-detector', detail: `adopted detector ${detectorId} lacks: ${missing.join(', ')}`, remedy: `enable them (aws guardduty update-detector --detector-id ${detectorId} --features ...)` }];
}
