import { accountServicePrerequisites } from '../../../tools/prerequisites/account-services';
import { formatPrerequisites } from '../../../tools/prerequisites/format';
import type { StackTemplate } from '../../../tools/prerequisites/templates';

const stack = (id: string, types: string[]): StackTemplate => ({
  id,
  stackName: `sra-app-dev-${id.toLowerCase()}`,
  template: { Resources: Object.fromEntries(types.map((type, i) => [`R${i}`, { Type: type, Properties: {} }])) },
});

describe('account services the stacks need before a deploy', () => {
  test('Shield resources need the subscription, and the Response Team a Business or Enterprise Support plan', () => {
    const found = accountServicePrerequisites([stack('Application', ['AWS::Shield::Protection', 'AWS::Shield::ProtectionGroup', 'AWS::Shield::DRTAccess', 'AWS::Shield::ProactiveEngagement'])]);
    expect(found.map((f) => f.service)).toEqual([expect.stringMatching(/^AWS Shield Advanced subscription \(\$3,000\/month/), expect.stringMatching(/Business Support or Enterprise Support/)]);
    expect(found[0]!.how).toMatch(/aws shield create-subscription/);
    expect(found[0]!.neededBy).toEqual(['Application/R0 (AWS::Shield::Protection)', 'Application/R1 (AWS::Shield::ProtectionGroup)']);
    expect(found[1]!.neededBy).toEqual(['Application/R2 (AWS::Shield::DRTAccess)', 'Application/R3 (AWS::Shield::ProactiveEngagement)']);
  });

  test('without Shield resources nothing is needed, and the report says what to do when something is', () => {
    expect(accountServicePrerequisites([stack('Application', ['AWS::WAFv2::WebACL'])])).toEqual([]);
    const services = accountServicePrerequisites([stack('Application', ['AWS::Shield::Protection'])]);
    const report = formatPrerequisites({ config: 'config/dev.yaml', mode: 'local', environments: [{ environment: 'dev', account: '111111111111', region: 'eu-west-1', keys: [], grants: [], services }] });
    expect(report).toMatch(/-- before deploying: AWS Shield Advanced subscription.*\n {3}subscribe once per organization.*\n {3}needed by:\n {5}Application\/R0 \(AWS::Shield::Protection\)/);
  });
});
