import { ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { adoptedDetectorId } from '../../src/config';
import { creates } from './plan';
import { switchSetting } from './remedy';
import { applies, singletonVerdict } from './singleton';
import type { Check } from './types';

/** One GuardDuty detector per account and Region: create it only where there is none; adopt only the one that is there. */
export const guardDutyDetector: Check = async (ctx) => {
  if (!applies(ctx, 'guardDutyDetector')) return [];
  const ids = (await ctx.clients.guardDuty.send(new ListDetectorsCommand({}))).DetectorIds ?? [];
  const adopted = adoptedDetectorId(ctx.settings.existingResources);
  if (adopted && ids.length > 0 && !ids.includes(adopted)) {
    return [{ status: 'FAIL', check: 'guardduty-detector', detail: `the config adopts detector ${adopted}, but the account's detector is ${ids[0]}`, remedy: switchSetting(ctx, 'guardDutyDetector', `{ adopt: ${ids[0]} }`) }];
  }
  return [singletonVerdict(ctx, 'guardDutyDetector', 'guardduty-detector', ids[0] && `detector ${ids[0]}`, creates(ctx.plan, 'AWS::GuardDuty::Detector'), `{ adopt: ${ids[0]} }`)];
};
