import { type InspectorResourceType, joinTypes, splitTypes } from './resource-types';

/**
 * The physical id is the only state CloudFormation hands back to every later event of this resource (Data is not
 * replayed, OldResourceProperties are the template, not what happened). It records the account and the BASELINE:
 * the scan types that were already on (ENABLED or ENABLING) when this resource was created.
 *
 * Why the baseline and not "types this resource enabled": the baseline is a fact about the past, so it never changes
 * and the id stays stable across Updates. "Enabled by this resource" grows whenever an Update adds a type; putting it
 * in the id would change the id, CloudFormation would treat that as a replacement and send a Delete for the old id
 * (with the old properties) after the update, and with DisableOnDelete that Delete would switch off types the
 * updated resource still claims. With the baseline fixed, "enabled by this resource" is re-derived on every event
 * as `requested types - baseline` (see ownedTypes).
 *
 * Example: inspector2:111122223333:enabled-before=ECR,LAMBDA (or enabled-before=none).
 */
export interface PhysicalId {
  readonly accountId: string;
  readonly baseline: readonly InspectorResourceType[];
}

const PATTERN = /^inspector2:(\d{12}):enabled-before=(none|[A-Z0-9_]+(?:,[A-Z0-9_]+)*)$/;

export function formatPhysicalId(id: PhysicalId): string {
  return `inspector2:${id.accountId}:enabled-before=${joinTypes(id.baseline) || 'none'}`;
}

export function parsePhysicalId(physicalId: string): PhysicalId {
  const match = PATTERN.exec(physicalId);
  if (!match) {
    throw new Error(
      `Physical resource id "${physicalId}" was not written by this handler (expected ` +
        '"inspector2:<account>:enabled-before=<types|none>"), so it cannot tell which scan types it enabled. ' +
        'Retain the resource in CloudFormation and manage Inspector by hand.',
    );
  }
  const [, accountId, list] = match;
  return { accountId, baseline: list === 'none' ? [] : splitTypes(list, `Physical resource id "${physicalId}"`) };
}

/**
 * The requested types this resource counts as its own: everything it was asked for that was not already on before
 * it existed. Limitation: a type someone else turns on AFTER this resource was created and that is later added to
 * ResourceTypes cannot be told apart from one this resource enabled, and counts as owned; onEvent logs a warning
 * when it sees that case.
 */
export function ownedTypes(
  requested: readonly InspectorResourceType[],
  baseline: readonly InspectorResourceType[],
): InspectorResourceType[] {
  return requested.filter((type) => !baseline.includes(type));
}
