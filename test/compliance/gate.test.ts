import { App, Stack, Stage } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledge, addComplianceGate, ComplianceFindings, PACK_NAMES } from '../../src/compliance';

/** A stage holding one bucket with no encryption setting, access logs or TLS policy: every pack flags it. */
function stageWithLooseBucket(app: App, findings: ComplianceFindings) {
  const stage = new Stage(app, 'Loose');
  const stack = new Stack(stage, 'Stack');
  const bucket = new s3.CfnBucket(stack, 'Bucket');
  addComplianceGate(stage, findings);
  return { stage, bucket };
}

describe('compliance gate', () => {
  // The examples and the config variants are checked in examples.test.ts and variants-*.test.ts, with cfn-lint on the same synthesis.

  test('an unacknowledged error is recorded per pack and fails synthesis', () => {
    const app = new App();
    const findings = new ComplianceFindings();
    stageWithLooseBucket(app, findings);
    expect(() => app.synth()).toThrow(/Validation failed|AwsSolutions-S1/);
    for (const pack of PACK_NAMES) expect(findings.count(pack, 'error')).toBeGreaterThan(0);
  });

  test('the Pack-Rule form suppresses a finding; the Pack::Rule form does not', () => {
    const run = (id: string) => {
      const app = new App({ context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
      const findings = new ComplianceFindings();
      const { bucket } = stageWithLooseBucket(app, findings);
      acknowledge(bucket, { id, reason: 'Test fixture: this bucket exists only to prove how acknowledgement ids are matched' });
      app.synth();
      return findings.all.filter((f) => f.rule === 'AwsSolutions-S1');
    };
    expect(run('AwsSolutions-S1')).toEqual([]);
    expect(() => run('AwsSolutions::S1')).toThrow(/rule pack prefix/);
  });

  test('findings of a pack registered on two stages are not counted twice', () => {
    const app = new App({ context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
    const findings = new ComplianceFindings();
    stageWithLooseBucket(app, findings);
    const other = new Stage(app, 'Clean');
    new Stack(other, 'Empty');
    addComplianceGate(other, findings);
    app.synth();
    expect(findings.all.every((f) => f.stage === 'Loose')).toBe(true);
    expect(findings.all.filter((f) => f.rule === 'AwsSolutions-S1')).toHaveLength(1);
  });
});
