import { App, Stack, Stage } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledge, addComplianceGate, ComplianceFindings, PACK_NAMES } from '../../src/compliance';
/* eslint-disable @typescript-eslint/no-explicit-any -- mutators edit raw config objects */
import { configFrom, synthesize, synthesizeExample } from '../helpers/app';

/** A stage holding one bucket with no encryption setting, access logs or TLS policy: every pack flags it. */
function stageWithLooseBucket(app: App, findings: ComplianceFindings) {
  const stage = new Stage(app, 'Loose');
  const stack = new Stack(stage, 'Stack');
  const bucket = new s3.CfnBucket(stack, 'Bucket');
  addComplianceGate(stage, findings);
  return { stage, bucket };
}

describe('compliance gate', () => {
  test.each(['dev', 'prod'] as const)('the %s example has no unacknowledged error or warning in any pack', (name) => {
    const { built } = synthesizeExample(name);
    expect(built.findings.all.map((f) => `${f.rule} ${f.resources.join(' ')}`)).toEqual([]);
  });

  test.each([
    ['production with central keys and CloudHSM', 'prod', (c: Record<string, any>): void => void (c.keys.cloudHsm = { enabled: true })],
    ['production with local keys', 'prod', (c: Record<string, any>): void => void (c.keys = { mode: 'local', administratorRoleArns: ['arn:aws:iam::222222222222:role/key-admins'] })],
    ['development with CloudHSM', 'dev', (c: Record<string, any>): void => void (c.keys.cloudHsm = { enabled: true })],
    ['Aurora MySQL', 'dev', (c: Record<string, any>): void => void (c.data.engine = 'aurora-mysql')],
    ['Aurora MySQL in production (backtrack)', 'prod', (c: Record<string, any>): void => void (c.data.engine = 'aurora-mysql')],
    ['flow logs to CloudWatch Logs', 'dev', (c: Record<string, any>): void => void (c.network.flowLogs.destination = 'cloudWatchLogs')],
    ['a restricted load balancer', 'dev', (c: Record<string, any>): void => void (c.network.ingressCidrs = ['203.0.113.0/24'])],
    ['a private certificate from a CA the stack creates', 'dev', (c: Record<string, any>): void => void (c.application.certificate = { kind: 'private', domainName: 'app.internal', createCertificateAuthority: { commonName: 'sra-app root' } })],
    ['a public DNS-validated certificate', 'dev', (c: Record<string, any>): void => void (c.application.certificate = { kind: 'public', domainName: 'app.example.com', hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'example.com' })],
    ['OIDC sign-in and WAF logs to S3', 'dev', (c: Record<string, any>): void => void Object.assign(c.application, { authentication: { kind: 'oidc', issuer: 'https://idp.example.com', authorizationEndpoint: 'https://idp.example.com/a', tokenEndpoint: 'https://idp.example.com/t', userInfoEndpoint: 'https://idp.example.com/u', clientId: 'x', clientSecretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:oidc-AbCdEf' }, waf: { logDestination: 's3', allowCountries: ['DE'], blockCidrs: ['198.51.100.0/24'] } })],
    ['a findings webhook and a central event bus', 'dev', (c: Record<string, any>): void => void (c.detection = { webhook: { secretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:hook-AbCdEf', format: 'teams' }, centralEventBusArn: 'arn:aws:events:eu-west-1:999999999999:event-bus/security', notificationEmails: ['secops@example.com'] })],
    // Organization mode requires the central bus as the findings' consumer.
    ['organization mode without an organization id', 'dev', (c: Record<string, any>): void => void ((c.mode = 'organization'), (c.detection = { centralEventBusArn: 'arn:aws:events:eu-west-1:999999999999:event-bus/sra-security-findings' }))],
  ] as [string, 'dev' | 'prod', (c: Record<string, any>) => void][])('%s: no unacknowledged error or warning', (_name, base, mutate) => {
    const s = synthesize(configFrom(base, mutate));
    expect(s.built.findings.all.map((f) => `${f.rule} ${f.resources.join(' ')}`)).toEqual([]);
  });

  test('a config with two environments is checked on both stages, once each', () => {
    const s = synthesize(
      configFrom('dev', (c) => {
        c.environments.push({ name: 'stage', account: '333333333333', region: 'eu-central-1', profile: 'development', cidr: '10.21.0.0/16' });
        // An imported certificate belongs to one account and region; ACM issues a public one in each.
        c.application.certificate = { kind: 'public', domainName: 'app.example.com', hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'example.com' };
      }),
    );
    expect(s.built.stages.map((st) => st.stageName)).toEqual(['dev', 'stage']);
    expect(s.built.findings.all).toEqual([]);
  });

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
