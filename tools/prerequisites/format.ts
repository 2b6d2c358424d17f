import type { AccountServicePrerequisite } from './account-services';
import type { EnvironmentPrerequisites } from './central-keys';

/** The report for people: per environment and key, why each statement is needed, then the statements as JSON to paste. */
export function formatPrerequisites(result: { config: string; mode: string; environments: readonly (EnvironmentPrerequisites & { services?: readonly AccountServicePrerequisite[] })[] }): string {
  const lines: string[] = [`${result.config} (keys.mode: ${result.mode})`];
  for (const env of result.environments) {
    lines.push('', `== ${env.environment}: account ${env.account}, ${env.region}`);
    for (const s of env.services ?? []) {
      lines.push('', `-- before deploying: ${s.service}`, `   ${s.how}`, '   needed by:', ...s.neededBy.map((n) => `     ${n}`));
    }
    if (env.keys.length === 0) lines.push('', 'No central keys: the stacks create this environment\'s keys and write their policies.');
    for (const key of env.keys) {
      lines.push('', `-- ${key.purpose} key ${key.keyArn}`, '   used by:');
      for (const u of key.usedBy) lines.push(`     ${u.stack}/${u.logicalId} (${u.type}): ${u.use}`);
      if (key.roles.length > 0) {
        lines.push("   roles of this account granted its use by this account's IAM policies:");
        for (const r of key.roles) lines.push(`     ${r.stack}/${r.role}: ${r.actions.join(', ')}${r.viaService ? ' (via services only)' : ''}`);
      }
      lines.push('   add to the key policy in the security account:', JSON.stringify(key.statements, null, 2).replace(/^/gm, '   '));
    }
    lines.push('', 'Grants this account creates itself (CloudFormation custom resources, after the statements above exist):');
    if (env.grants.length === 0) lines.push('   none');
    for (const g of env.grants) {
      lines.push(`   ${g.stack}/${g.logicalId}: ${g.purpose} key ${g.keyArn}`, `     grantee ${g.grantee}`, `     operations ${g.operations.join(', ')}; name ${String(g.name)}`);
    }
  }
  return lines.join('\n');
}
