import { Aws, Stack, type StackProps } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { adoptedDetectorId, evidenceBucketName, type EnvironmentSettings } from '../config';
import { AccessAnalyzer } from '../constructs/detection/access-analyzer';
import { AlternateContacts } from '../constructs/detection/alternate-contacts';
import { AuditManagerAssessments } from '../constructs/detection/audit-manager';
import { AuditTrail } from '../constructs/detection/audit-trail';
import { ConfigRules } from '../constructs/detection/config-rules';
import { FindingsRouting } from '../constructs/detection/findings-routing';
import { IncidentResponseReadiness } from '../constructs/detection/incident-response-readiness';
import { Macie } from '../constructs/detection/macie';
import { SecurityHub } from '../constructs/detection/security-hub';
import { ThreatDetection } from '../constructs/detection/threat-detection';
import { AccountGuardrails } from '../constructs/guardrails/account-guardrails';
import type { DataStack } from './data-stack';
import type { NetworkStack } from './network-stack';
import type { SecurityStack } from './security-stack';

export interface DetectionStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
  readonly security: SecurityStack;
  readonly network: NetworkStack;
  readonly data: DataStack;
}

/**
 * The account's own security services and guardrails, configured for the
 * security team: findings routing first (everything else reports through it),
 * then in standalone mode the services an organization would otherwise run
 * (CloudTrail, GuardDuty, Security Hub, the Config recorder), and in both modes
 * the Config rules, Access Analyzer and the account guardrails.
 */
export class DetectionStack extends Stack {
  readonly routing: FindingsRouting;
  /** The account's trail (standalone mode only). */
  readonly trail?: AuditTrail;

  constructor(scope: Construct, id: string, props: DetectionStackProps) {
    super(scope, id, props);
    const { settings, security, network, data } = props;
    const keys = security.keys;
    const logs = security.logArchive;
    const vpc = network.workloadVpc;
    const d = settings.detection;
    const retention = settings.network.flowLogs.retentionDays;
    const standalone = settings.mode === 'standalone';
    const existing = settings.existingResources;

    this.routing = new FindingsRouting(this, 'Routing', {
      key: keys.operations,
      emails: d.notificationEmails,
      guardDutyMinimumSeverity: d.guardDutyMinimumSeverity,
      centralEventBusArn: d.centralEventBusArn,
      webhook: d.webhook
        ? {
            secret: secretsmanager.Secret.fromSecretCompleteArn(this, 'WebhookSecret', d.webhook.secretArn),
            secretKey: keys.secrets,
            format: d.webhook.format,
            vpc: vpc.vpc,
            subnets: vpc.subnets('app'),
            key: keys.operations,
            logsKey: keys.logs,
            logRetentionDays: retention,
          }
        : undefined,
      // The guardrails add their own root-activity alert to the same targets.
      routeRootActivity: false,
    });

    if (standalone) {
      const trail = new AuditTrail(this, 'Trail', {
        bucket: logs.auditDestination,
        key: keys.logs,
        logRetentionDays: retention,
        alarmTopic: this.routing.topic,
        // The evidence bucket is named, not referenced: the Response stack deploys after this one.
        dataEventBucketArns: [data.bucket.bucket.bucketArn, ...(settings.response.enabled ? [`arn:${Aws.PARTITION}:s3:::${evidenceBucketName(settings.appName, settings.name, settings.account)}`] : [])],
      });
      this.routing.forwardAlarms(Object.values(trail.alarms));
      this.trail = trail;
      new ThreatDetection(this, 'GuardDuty', { existingDetectorId: adoptedDetectorId(existing) });
      new SecurityHub(this, 'SecurityHub', { standards: d.securityHubStandards, adoptExistingHub: existing.securityHub === 'adopt', alreadyEnabled: existing.enabledSecurityHubStandards });
    }

    new ConfigRules(
      this,
      'Config',
      standalone
        ? {
            mode: 'standalone',
            recorder: {
              bucket: logs.auditDestination,
              key: keys.logs,
              createServiceLinkedRole: d.createConfigServiceLinkedRole,
              adoptExistingRecorder: existing.configRecorder === 'adopt',
              adoptExistingDeliveryChannel: existing.configDeliveryChannel === 'adopt',
            },
            catalog: { passwordPolicy: { ...d.passwordPolicy, requireAllCharacterClasses: true }, secretRotationDays: settings.data.rotationDays },
          }
        : { mode: 'organization', catalog: { passwordPolicy: { ...d.passwordPolicy, requireAllCharacterClasses: true }, secretRotationDays: settings.data.rotationDays } },
    );
    new AccessAnalyzer(this, 'AccessAnalyzer', {
      unusedAccessAge: d.unusedAccessAgeDays,
      adoptExternalAccess: existing.externalAccessAnalyzer === 'adopt',
      adoptUnusedAccess: existing.unusedAccessAnalyzer === 'adopt',
    });


    if (d.securityIncidentResponse.enabled) {
      new IncidentResponseReadiness(this, 'SecurityIncidentResponse', {
        createTriageServiceLinkedRole: d.securityIncidentResponse.createTriageServiceLinkedRole,
        containmentRoles: d.securityIncidentResponse.containmentRoles,
      });
    }

    if (d.auditManager.enabled && d.auditManager.processOwnerRoleName) {
      new AuditManagerAssessments(this, 'AuditManager', {
        name: `${settings.appName}-${settings.name}`,
        frameworkIds: d.auditManager.frameworkIds,
        processOwnerRoleName: d.auditManager.processOwnerRoleName,
        key: keys.logs,
        accessLogBucket: logs.accessLogBucket,
      });
    }

    const guardrails = new AccountGuardrails(this, 'Guardrails', {
      passwordPolicy: { ...d.passwordPolicy, requireAllCharacterClasses: true },
      // Its own key, admitting every launch in the account; the fleet's volumes keep the data key.
      ebsKey: keys.ebsDefault,
      alertTargets: this.routing.target(),
      vpc: vpc.vpc,
      subnets: vpc.subnets('app'),
      logsKey: keys.logs,
      logRetentionDays: retention,
    });

    // Account-level settings CloudFormation has no resource for go through the guardrails' settings function.
    if (standalone && d.macie.enabled) {
      new Macie(this, 'Macie', { findingPublishingFrequency: d.macie.findingPublishingFrequency, results: { bucket: logs.logBucket, key: keys.logs }, settings: guardrails.settings });
    }
    // Required in standalone mode (the loader checks); in organization mode only when the config names them.
    if (d.alternateContacts) new AlternateContacts(this, 'AlternateContacts', { ...d.alternateContacts, settings: guardrails.settings });
  }
}
