import { Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { evidenceBucketName, type EnvironmentSettings } from '../config';
import { executionRoleArn } from '../constructs/keys/key-ring';
import { EvidenceBucket } from '../constructs/response/evidence-bucket';
import { IncidentWorkflows } from '../constructs/response/incident-workflows';
import { ResponderRoles } from '../constructs/response/responder-roles';
import type { ApplicationStack } from './application-stack';
import type { DetectionStack } from './detection-stack';
import type { NetworkStack } from './network-stack';
import type { SecurityStack } from './security-stack';

export interface ResponseStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
  readonly security: SecurityStack;
  readonly network: NetworkStack;
  readonly detection: DetectionStack;
  /** The fleet whose instances the workflows contain. */
  readonly application: ApplicationStack;
}

/**
 * The security team's incident-response tooling: the evidence bucket and its
 * key, the isolation and release workflows, and the responder roles that
 * start them. Everything reports through the Detection stack's findings routing.
 */
export class ResponseStack extends Stack {
  readonly evidence: EvidenceBucket;
  readonly workflows: IncidentWorkflows;
  readonly responders: ResponderRoles;

  constructor(scope: Construct, id: string, props: ResponseStackProps) {
    super(scope, id, props);
    const { settings, security, network, detection, application } = props;
    const r = settings.response;
    const prefix = `${settings.appName}-${settings.name}`;

    this.evidence = new EvidenceBucket(this, 'Evidence', {
      bucketName: evidenceBucketName(settings.appName, settings.name, settings.account),
      // Central mode: keys belong to the security account, so evidence uses its logs key (audit records) rather than one made here.
      key:
        settings.keys.mode === 'central'
          ? { kind: 'existing', key: security.keys.logs }
          : { kind: 'create', alias: `${settings.appName}/${settings.name}/evidence`, administrators: settings.keys.administratorRoleArns, deploymentRole: executionRoleArn(this, settings.deployment) },
      retentionDays: r.evidenceRetentionDays,
      accessLogBucket: security.logArchive.accessLogBucket,
    });

    this.workflows = new IncidentWorkflows(this, 'Workflows', {
      vpc: network.workloadVpc.vpc,
      appSubnets: network.workloadVpc.vpc.selectSubnets(network.workloadVpc.subnets('app')).subnets,
      networkAcls: network.networkAcls.acls,
      endpointsSecurityGroup: network.securityGroups.endpoints,
      evidenceBucket: this.evidence.bucket,
      evidenceKey: this.evidence.key,
      logsKey: security.keys.logs,
      instanceRoles: [application.fleet.role],
      notificationTopic: detection.routing.topic,
      options: {
        findingTypes: r.findingTypes,
        minimumSeverity: r.minimumSeverity,
        autoIsolate: r.autoIsolate,
        autoScalingAction: r.autoScalingAction,
        memoryCapture: r.memoryCapture,
        dryRun: r.dryRun,
        untrackWaitSeconds: r.untrackWaitSeconds,
      },
    });
    // The workflows take their IAM grants from the bucket itself; the bucket policy must not deny their roles.
    for (const role of this.workflows.node.findAll().filter((c): c is iam.Role => c instanceof iam.Role)) this.evidence.allowPrincipal(role, 'write');

    this.responders = new ResponderRoles(this, 'Responders', {
      namePrefix: prefix,
      trustedPrincipalArns: r.responders.trustedPrincipalArns,
      investigatorPrincipalArns: r.responders.investigatorPrincipalArns,
      maxSessionMinutes: r.responders.maxSessionMinutes,
      evidence: this.evidence,
      workflows: this.workflows,
      alarmTargets: detection.routing.target(),
    });
  }
}
