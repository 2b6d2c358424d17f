import { synthesizeExample } from '../helpers/app';
import { formatFinding } from '../helpers/cfn-lint';
import { CFN_LINT_IGNORES, ignoredBy } from './cfn-lint-ignores';
import { describeConfigMatrix } from './config-matrix';

const results = describeConfigMatrix(
  'the example configs',
  (['dev', 'prod'] as const).map((name) => ({ name, synthesize: () => synthesizeExample(name) })),
);

describe('the cfn-lint ignore list', () => {
  test('every entry has a reason', () => {
    for (const entry of CFN_LINT_IGNORES) expect(entry.reason.length).toBeGreaterThan(40);
  });

  test.each(CFN_LINT_IGNORES.map((i) => [`${i.rule} ${i.resourceType} ${i.property}`, i] as const))(
    '%s still matches a finding of the examples (remove it once cfn-lint knows the property)',
    (_name, entry) => {
      expect(results.findings.filter((f) => ignoredBy(f) === entry).map(formatFinding)).not.toEqual([]);
    },
  );

  test('ignores only E-level findings', () => {
    expect(results.findings.filter((f) => ignoredBy(f) && f.level !== 'Error').map(formatFinding)).toEqual([]);
  });
});

describe('synthesis warnings', () => {
  test.each(['dev', 'prod'])('%s: no desiredCapacity warning, and no DesiredCapacity a deployment would reset a scaled group to', (name) => {
    const s = results.synthesized.get(name)!;
    const warnings = s.built.app
      .synth()
      .nestedAssemblies.flatMap((stage) => stage.nestedAssembly.stacks.flatMap((stack) => stack.messages))
      .filter((m) => m.level === 'warning')
      .map((m) => `${m.id}: ${String(m.entry.data)}`);
    expect(warnings.filter((w) => /desiredCapacity/i.test(w))).toEqual([]);
    const groups = Object.values(s.json.Application!.Resources).filter((r) => r.Type === 'AWS::AutoScaling::AutoScalingGroup');
    expect(groups).toHaveLength(1);
    expect(groups[0]!.Properties).not.toHaveProperty('DesiredCapacity');
    expect(Number(groups[0]!.Properties!.MinSize)).toBeGreaterThan(0);
  });
});
