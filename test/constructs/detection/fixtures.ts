import type { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { LogArchive } from '../../../src/constructs/detection/log-archive';
import flags from '../../../src/feature-flags.json';

/** Sets the project's fixed feature flags on an empty stack, as `buildApp` does for the app, so templates match what synth produces. */
export function withProjectFlags(stack: Stack): Stack {
  for (const [key, value] of Object.entries(flags)) stack.node.setContext(key, value);
  return stack;
}

/** A logs key and log archive in the stack under test, so constructs can add statements to their policies without cross-stack references. */
export function localLogArchive(stack: Stack): { key: kms.Key; archive: LogArchive } {
  withProjectFlags(stack);
  const key = new kms.Key(stack, 'LogsKey', { enableKeyRotation: true });
  return { key, archive: new LogArchive(stack, 'Archive', {
      key,
      auditRetentionDays: 365,
      flowLogs: { prefix: 'vpc-flow-logs/', retentionDays: 90 },
      objectLock: { mode: 'GOVERNANCE', days: 90 },
      deploymentRoleArn: 'arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1',
      auditDelivery: false,
    }), };
}

export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Every statement of every resource of `type` (`PolicyDocument`, `KeyPolicy` or `PolicyDocument` of topic/queue policies). */
export function statementsOf(template: Template, type: string): Statement[] {
  return Object.values(template.findResources(type)).flatMap((r) => {
    const doc = (r.Properties.PolicyDocument ?? r.Properties.KeyPolicy) as { Statement: Statement[] };
    return doc.Statement;
  });
}

/** The statement with `sid`, failing the test when there is none. */
export function statement(template: Template, type: string, sid: string): Statement {
  const found = statementsOf(template, type).find((s) => s.Sid === sid);
  if (!found) throw new Error(`no ${type} statement with Sid ${sid}`);
  return found;
}

/** Actions of a statement as a list. */
export function actionsOf(s: Statement): string[] {
  return [s.Action].flat();
}
