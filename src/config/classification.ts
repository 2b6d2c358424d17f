interface Issues {
  addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void;
}

/**
 * What a classification demands of the config, checked before anything is
 * built (the full table of controls: src/constructs/data/classification.ts).
 * critical: the data bucket locked in compliance mode, and every recovery
 * point copied to a vault outside this account or region.
 */
export function checkClassification(config: Record<string, unknown>, ctx: Issues): void {
  const data = config.data as { classification?: unknown; objectLock?: { enabled?: unknown; mode?: unknown } } | undefined;
  if (!data || data.classification !== 'critical') return;
  const lock = data.objectLock;
  if (!lock || lock.enabled !== true || lock.mode !== 'COMPLIANCE') {
    ctx.addIssue({ code: 'custom', path: ['data', 'objectLock'], message: 'classification critical requires enabled: true and mode: COMPLIANCE, so no one can erase or shorten the retention of its data' });
  }
  const backup = config.backup as { copyToVaultArn?: unknown } | undefined;
  if (!backup || typeof backup.copyToVaultArn !== 'string') {
    ctx.addIssue({ code: 'custom', path: ['backup', 'copyToVaultArn'], message: 'required for classification critical: every recovery point is copied to a vault in another region or account' });
  }
}
