import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccessAnalyzer } from '../../../src/constructs/detection/access-analyzer';
import { buildChecked } from '../../helpers/nag';

describe('AccessAnalyzer', () => {
  const { template, findings } = buildChecked(({ stack }) => {
    new AccessAnalyzer(stack, 'Analyzer');
  });

  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test('analyzes access from outside the account', () => {
    template.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', { Type: 'ACCOUNT' });
  });

  test('reports access unused for 90 days by default', () => {
    template.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
      Type: 'ACCOUNT_UNUSED_ACCESS',
      AnalyzerConfiguration: { UnusedAccessConfiguration: { UnusedAccessAge: 90 } },
    });
  });

  test('has exactly those two analyzers', () => {
    template.resourceCountIs('AWS::AccessAnalyzer::Analyzer', 2);
  });
});

describe('AccessAnalyzer unused access age', () => {
  test('is configurable', () => {
    const stack = new Stack();
    new AccessAnalyzer(stack, 'Analyzer', { unusedAccessAge: 30 });
    Template.fromStack(stack).hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
      AnalyzerConfiguration: { UnusedAccessConfiguration: { UnusedAccessAge: 30 } },
    });
  });

  test.each([0, 366, 1.5])('refuses %p days', (age) => {
    expect(() => new AccessAnalyzer(new Stack(), 'Analyzer', { unusedAccessAge: age })).toThrow(/unusedAccessAge must be a whole number of days from 1 to 365/);
  });
});
