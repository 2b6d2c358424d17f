import { App, Stack, Stage } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { addComplianceGate, ComplianceFindings, type Finding } from '../../src/compliance';

export interface Fixture {
  readonly stack: Stack;
  /** A VPC shaped like the workload VPC: public, private-with-egress ("App") and isolated ("Data") subnets in two zones. */
  readonly vpc: ec2.Vpc;
  /** A rotating customer-managed key standing in for the key ring's keys. */
  readonly key: kms.Key;
}

export interface Checked {
  readonly template: Template;
  /** Unacknowledged findings of the four packs on resources built by `build` (the fixture's own are left out). */
  readonly findings: readonly Finding[];
}

/**
 * Builds a construct in a stack checked by the four rule packs, the way the
 * app is, and returns its template and findings. For construct tests that must
 * prove a construct is clean on its own.
 */
export function buildChecked(build: (fixture: Fixture) => void): Checked {
  const app = new App({ context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
  const stage = new Stage(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
  const stack = new Stack(stage, 'Stack');
  const fixtureScope = new Stack(stage, 'Fixture');
  const vpc = new ec2.Vpc(fixtureScope, 'Vpc', {
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false },
      { name: 'App', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
    natGateways: 1,
  });
  const key = new kms.Key(fixtureScope, 'Key', { enableKeyRotation: true });
  build({ stack, vpc, key });
  const findings = new ComplianceFindings();
  addComplianceGate(stage, findings);
  const assembly = app.synth();
  const template = Template.fromJSON(assembly.getNestedAssembly(stage.artifactId).getStackByName(stack.stackName).template);
  return { template, findings: findings.all.filter((f) => f.resources.some((r) => r.startsWith('Test/Stack/'))) };
}
