import { Match } from 'aws-cdk-lib/assertions';
import { resourcesOfType, synthesizeExample } from '../helpers/app';

type Statement = { Sid?: string };
const sidsOf = (template: ReturnType<typeof synthesizeExample>['json'][string], type: string, field: string) =>
  resourcesOfType(template, type).flatMap(([, p]) => (p[field].Statement as Statement[]).map((s) => s.Sid));

describe('dev (standalone): the account-level services the SRA expects of an application account', () => {
  const { templates, json } = synthesizeExample('dev');

  test('Macie is enabled and configured, with its results admitted by the logs key and the log bucket of the Security stack', () => {
    templates.Detection!.hasResource('AWS::Macie::Session', { Properties: { Status: 'ENABLED', FindingPublishingFrequency: 'FIFTEEN_MINUTES' }, DeletionPolicy: 'Retain' });
    for (const call of ['MacieResultsExport', 'MacieSecurityHubPublication', 'MacieAutomatedDiscovery']) templates.Detection!.resourceCountIs(`Custom::${call}`, 1);
    expect(sidsOf(json.Security!, 'AWS::KMS::Key', 'KeyPolicy')).toContain('MacieEncryptsDiscoveryResults');
    expect(sidsOf(json.Security!, 'AWS::S3::BucketPolicy', 'PolicyDocument')).toEqual(
      expect.arrayContaining(['MacieBucketLocation', 'MacieWritesDiscoveryResults', 'MacieResultsOnlySseKms', 'MacieResultsOnlyLogsKey']),
    );
  });

  test('the alternate contacts of config/dev.yaml are set', () => {
    const create = (type: string) => JSON.parse(resourcesOfType(json.Detection!, `Custom::${type}`)[0]![1].Create as string);
    expect(create('AlternateContactSecurity').parameters).toMatchObject({ AlternateContactType: 'SECURITY', EmailAddress: 'security-alerts@example.com' });
    expect(create('AlternateContactOperations').parameters).toMatchObject({ AlternateContactType: 'OPERATIONS', EmailAddress: 'platform-ops@example.com' });
    expect(create('AlternateContactBilling').parameters).toMatchObject({ AlternateContactType: 'BILLING', EmailAddress: 'cloud-billing@example.com' });
  });

  test('Inspector scans EC2, ECR, Lambda and Lambda code, and runs a weekly CIS level 1 scan of the fleet by its tag', () => {
    templates.Application!.hasResourceProperties('Custom::InspectorEnablement', { ResourceTypes: ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE'] });
    const [[, scan]] = resourcesOfType(json.Application!, 'AWS::InspectorV2::CisScanConfiguration') as [[string, Record<string, any>]]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(scan).toMatchObject({ SecurityLevel: 'LEVEL_1', Schedule: { Weekly: { Days: ['SUN'], StartTime: { TimeOfDay: '05:00', TimeZone: 'UTC' } } } });
    // The tag is the one the fleet's launch template puts on every instance it launches.
    const [[, template]] = resourcesOfType(json.Application!, 'AWS::EC2::LaunchTemplate') as [[string, Record<string, any>]]; // eslint-disable-line @typescript-eslint/no-explicit-any
    const [tagKey, tagValues] = Object.entries(scan.Targets.TargetResourceTags as Record<string, string[]>)[0]!;
    const instanceTags = (template.LaunchTemplateData.TagSpecifications as { ResourceType: string; Tags: unknown[] }[]).find((t) => t.ResourceType === 'instance')!.Tags;
    expect(instanceTags).toEqual(expect.arrayContaining([{ Key: tagKey, Value: tagValues[0] }]));
  });

  test('GuardDuty runs EKS audit log monitoring and every runtime agent', () => {
    templates.Detection!.hasResourceProperties('AWS::GuardDuty::Detector', {
      Features: Match.arrayWith([
        { Name: 'EKS_AUDIT_LOGS', Status: 'ENABLED' },
        Match.objectLike({ Name: 'RUNTIME_MONITORING', AdditionalConfiguration: Match.arrayWith([{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' }, { Name: 'ECS_FARGATE_AGENT_MANAGEMENT', Status: 'ENABLED' }]) }),
      ]),
    });
  });

  test('the opt-ins are off: no Security Incident Response roles and no Audit Manager assessment', () => {
    expect(resourcesOfType(json.Detection!, 'AWS::IAM::ServiceLinkedRole').filter(([, p]) => p.AWSServiceName === 'triage.security-ir.amazonaws.com')).toEqual([]);
    templates.Detection!.resourceCountIs('AWS::AuditManager::Assessment', 0);
  });
});

describe('prod (organization mode): Macie and Inspector belong to the delegated administrator', () => {
  const { templates } = synthesizeExample('prod');

  test('no Macie session, no Inspector enablement, no CIS scan configuration', () => {
    templates.Detection!.resourceCountIs('AWS::Macie::Session', 0);
    templates.Detection!.resourceCountIs('Custom::MacieResultsExport', 0);
    templates.Application!.resourceCountIs('Custom::InspectorEnablement', 0);
    templates.Application!.resourceCountIs('AWS::InspectorV2::CisScanConfiguration', 0);
  });

  test('the account still sets its own alternate contacts when the config names them', () => {
    templates.Detection!.resourceCountIs('Custom::AlternateContactSecurity', 1);
  });
});
