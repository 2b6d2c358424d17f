import { App, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { addComplianceGate, ComplianceFindings } from '../../../src/compliance';
import featureFlags from '../../../src/feature-flags.json';
import { DEFAULT_FINDING_TYPES, IncidentWorkflows, type IncidentResponseOptions } from '../../../src/constructs/response/incident-workflows';

export const DEFAULT_OPTIONS: IncidentResponseOptions = {
  findingTypes: DEFAULT_FINDING_TYPES,
  minimumSeverity: 7,
  autoIsolate: true,
  autoScalingAction: 'standby',
  memoryCapture: false,
  dryRun: false,
  untrackWaitSeconds: 10,
};

export interface Built {
  readonly stack: Stack;
  readonly workflows: IncidentWorkflows;
  readonly template: Template;
  /** Rule-pack findings on the workflows' resources only (the stand-ins around them are not under test). */
  readonly findings: string[];
  readonly responder: iam.Role;
}

/** The workflows in a test stage with the four packs, between stand-ins for what the Response stack gives them. */
export function build(options: Partial<IncidentResponseOptions> = {}, { checks = true } = {}): Built {
  // Without checks (tests that only need the state-machine definitions): no rule packs and no bundling, for speed.
  const app = new App({ context: { ...featureFlags, '@aws-cdk/core:failSynthOnValidationErrors': false, ...(checks ? {} : { 'aws:cdk:bundling-stacks': [] }) } });
  const stage = new Stage(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
  const findings = new ComplianceFindings();
  if (checks) addComplianceGate(stage, findings);
  const stack = new Stack(stage, 'Response');
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const appAcl = new ec2.NetworkAcl(stack, 'AppAcl', { vpc, subnetSelection: { subnetGroupName: 'app' } });
  const endpoints = new ec2.SecurityGroup(stack, 'Endpoints', { vpc, allowAllOutbound: false });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const bucket = new s3.Bucket(stack, 'EvidenceBucket', { encryptionKey: key, encryption: s3.BucketEncryption.KMS, versioned: true, objectLockEnabled: true });
  const topic = new sns.Topic(stack, 'Findings', { masterKey: key });
  const fleetRole = new iam.Role(stack, 'FleetRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  const workflows = new IncidentWorkflows(stack, 'Workflows', {
    vpc,
    appSubnets: vpc.isolatedSubnets,
    networkAcls: { app: appAcl },
    endpointsSecurityGroup: endpoints,
    evidenceBucket: bucket,
    evidenceKey: key,
    logsKey: key,
    notificationTopic: topic,
    instanceRoles: [fleetRole],
    options: { ...DEFAULT_OPTIONS, ...options },
  });
  const responder = new iam.Role(stack, 'Responder', { assumedBy: new iam.AccountRootPrincipal() });
  workflows.grantStartIsolation(responder);
  workflows.grantStartRelease(responder);
  app.synth();
  return {
    stack,
    workflows,
    template: Template.fromStack(stack),
    findings: findings.all.flatMap((f) => f.resources.filter((r) => r.includes('/Workflows/')).map((r) => `${f.pack} ${f.rule} ${r}`)),
    responder,
  };
}
