import { GetDocumentCommand } from '@aws-sdk/client-ssm';
import { SESSION_PREFERENCES_DOCUMENT } from '../../src/constructs/compute/session-manager';
import { isError } from './aws-errors';
import { creates } from './plan';
import { singletonVerdict } from './singleton';
import type { Check } from './types';

/**
 * The account's Session Manager preferences document. When adopted, its
 * preferences govern every session, so the check also reports the security
 * settings it lacks.
 */
export const sessionPreferences: Check = async (ctx) => {
  let content: string | undefined;
  let found = false;
  try {
    content = (await ctx.clients.ssm.send(new GetDocumentCommand({ Name: SESSION_PREFERENCES_DOCUMENT }))).Content;
    found = true;
  } catch (error) {
    if (!isError(error, 'InvalidDocument')) throw error;
  }
  const verdict = singletonVerdict(ctx, 'sessionManagerPreferences', 'session-preferences', found ? `document ${SESSION_PREFERENCES_DOCUMENT}` : undefined, creates(ctx.plan, 'AWS::SSM::Document') && ctx.settings.existingResources.sessionManagerPreferences === 'create');
  if (verdict.status !== 'PASS' || !found || ctx.settings.existingResources.sessionManagerPreferences !== 'adopt') return [verdict];
  const lacking = weakPreferences(content);
  if (lacking.length === 0) return [verdict];
  return [
    {
      status: 'WARN',
      check: 'session-preferences',
      detail: `adopted ${SESSION_PREFERENCES_DOCUMENT} governs sessions but lacks: ${lacking.join(', ')}`,
      remedy: 'update the preferences (Systems Manager console, Session Manager, Preferences), or delete the document and set the switch to create',
    },
  ];
};

/** The settings the stacks would have set that an existing document leaves off. */
function weakPreferences(content: string | undefined): string[] {
  let inputs: Record<string, unknown> = {};
  try {
    inputs = ((JSON.parse(content ?? '{}') as { inputs?: Record<string, unknown> }).inputs ?? {});
  } catch {
    return ['readable JSON content'];
  }
  const lacking: string[] = [];
  if (!inputs.kmsKeyId) lacking.push('KMS encryption of session data (kmsKeyId)');
  if (inputs.runAsEnabled !== true) lacking.push('a non-root run-as user (runAsEnabled)');
  if (!inputs.cloudWatchLogGroupName && !inputs.s3BucketName) lacking.push('session logging (cloudWatchLogGroupName or s3BucketName)');
  if (!inputs.idleSessionTimeout) lacking.push('an idle timeout (idleSessionTimeout)');
  return lacking;
}
