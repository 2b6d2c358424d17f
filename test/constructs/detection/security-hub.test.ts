import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SecurityHub, type SecurityHubStandard } from '../../../src/constructs/detection/security-hub';
import { buildChecked } from '../../helpers/nag';

/** Standards ARNs carry the stack's partition and region and no account. */
const arnPrefix = (region: string) => `arn:\${AWS::Partition}:securityhub:${region}::standards/`;

/** Standards ARNs of a template, with their Fn::Sub/Join rendered as one string. */
function standardsArns(template: Template): string[] {
  return Object.values(template.findResources('AWS::SecurityHub::Standard')).map((r) => {
    const arn = r.Properties.StandardsArn as { 'Fn::Join': [string, unknown[]] };
    return arn['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : `\${${(part as { Ref: string }).Ref}}`)).join('');
  });
}

describe('SecurityHub', () => {
  const { template, findings } = buildChecked(({ stack }) => {
    new SecurityHub(stack, 'Hub');
  });

  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test('consolidated control findings, new controls on, no console-default standards', () => {
    template.hasResourceProperties('AWS::SecurityHub::Hub', { ControlFindingGenerator: 'SECURITY_CONTROL', AutoEnableControls: true, EnableDefaultStandards: false });
  });

  test('subscribes to FSBP and CIS 3.0 by default, built from partition and region', () => {
    expect(standardsArns(template).sort()).toEqual([
      `${arnPrefix('eu-west-1')}aws-foundational-security-best-practices/v/1.0.0`,
      `${arnPrefix('eu-west-1')}cis-aws-foundations-benchmark/v/3.0.0`,
    ]);
  });

  test('each standard waits for the hub', () => {
    for (const standard of Object.values(template.findResources('AWS::SecurityHub::Standard'))) {
      expect(standard.DependsOn).toEqual([expect.stringMatching(/^Hub[0-9A-F]{8}$/)]);
    }
  });
});

describe('SecurityHub standards list', () => {
  const build = (standards: SecurityHubStandard[]) => {
    const stack = new Stack();
    new SecurityHub(stack, 'Hub', { standards });
    return Template.fromStack(stack);
  };

  test.each<[SecurityHubStandard[], string[]]>([
    [['nist-800-53-r5'], ['nist-800-53/v/5.0.0']],
    [
      ['aws-foundational-security-best-practices', 'cis-aws-foundations-benchmark-3.0', 'nist-800-53-r5'],
      ['aws-foundational-security-best-practices/v/1.0.0', 'cis-aws-foundations-benchmark/v/3.0.0', 'nist-800-53/v/5.0.0'],
    ],
  ])('%j subscribes to exactly those', (standards, paths) => {
    expect(standardsArns(build(standards)).sort()).toEqual(paths.map((p) => `${arnPrefix('${AWS::Region}')}${p}`).sort());
  });

  test('a standard listed twice is refused', () => {
    expect(() => build(['nist-800-53-r5', 'nist-800-53-r5'])).toThrow(/lists a standard twice/);
  });
});
