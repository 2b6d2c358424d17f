import { Aws, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as shield from 'aws-cdk-lib/aws-shield';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct, type IDependable } from 'constructs';
import { acknowledge } from '../../compliance';
import { ManagedPolicyRole } from '../lambda/managed-policy-role';
import { arnToken } from '../response/arn-token';

/** Someone the Shield Response Team contacts during an event. */
export interface EmergencyContact {
  readonly email: string;
  /** E.164. @default - email only */
  readonly phone?: string;
  /** @default - none */
  readonly notes?: string;
}

export interface ShieldAdvancedProps {
  /** Name of the protection and prefix of the protection group, alarms and health checks. */
  readonly name: string;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The fleet's target group: no healthy target turns the protection's health check unhealthy. */
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The web ACL on the load balancer; it must carry a rate-based rule (automatic mitigation builds on it). */
  readonly webAcl: wafv2.CfnWebACL;
  /** What associates the web ACL with the load balancer: automatic mitigation needs it in place first. */
  readonly webAclAssociation: IDependable;
  /** What Shield's automatic application-layer mitigation does with the rules it writes. @default 'block' */
  readonly automaticMitigation?: 'block' | 'count' | 'off';
  /** Gives the Shield Response Team its role. @default true */
  readonly responseTeamAccess?: boolean;
  /** Buckets with the edge's logs, which the Shield Response Team may read. @default - none */
  readonly logBuckets?: readonly s3.IBucket[];
  /** Enables proactive engagement with these contacts. @default - no proactive engagement */
  readonly emergencyContacts?: readonly EmergencyContact[];
  /** Receives the health alarms. */
  readonly alarmTopic: sns.ITopic;
}

/** Load balancer 5xx responses per minute that, three minutes running, mark the application unhealthy. */
export const SERVER_ERRORS_PER_MINUTE = 50;

/**
 * AWS Shield Advanced on the load balancer: the protection with automatic
 * application-layer DDoS mitigation in the web ACL, health-based detection
 * through a Route 53 health check on the application's own health (load
 * balancer 5xx responses and healthy targets), a protection group, the
 * Shield Response Team's access role and proactive engagement.
 *
 * The subscription itself has no CloudFormation resource: it must exist
 * before the first deploy (`aws shield create-subscription`).
 */
export class ShieldAdvanced extends Construct {
  readonly protection: shield.CfnProtection;
  readonly protectionGroup: shield.CfnProtectionGroup;
  readonly healthCheck: route53.CfnHealthCheck;
  readonly alarms: readonly cloudwatch.Alarm[];
  readonly responseTeamRole?: iam.Role;

  constructor(scope: Construct, id: string, props: ShieldAdvancedProps) {
    super(scope, id);
    const mitigation = props.automaticMitigation ?? 'block';
    if (mitigation !== 'off' && !hasRateBasedRule(props.webAcl)) {
      throw new Error(`${this.node.path}: automatic application-layer mitigation needs a rate-based rule in the web ACL; add one or set automaticMitigation: off`);
    }

    const groupId = `${props.name}-edge`;
    if (!/^[a-zA-Z0-9-]{1,36}$/.test(groupId)) throw new Error(`${this.node.path}: the protection group id ${JSON.stringify(groupId)} must be 1-36 letters, digits or hyphens; shorten name`);

    const alarms = this.healthAlarms(props);
    this.alarms = alarms;
    const children = alarms.map(
      (alarm, i) =>
        new route53.CfnHealthCheck(this, `${['ServerErrors', 'HealthyTargets'][i]}Check`, {
          healthCheckConfig: {
            type: 'CLOUDWATCH_METRIC',
            alarmIdentifier: { name: alarm.alarmName, region: Aws.REGION },
            // An alarm without data (no traffic) keeps the last known state rather than paging anyone.
            insufficientDataHealthStatus: 'LastKnownStatus',
          },
          healthCheckTags: [{ key: 'Name', value: `${props.name}-${i === 0 ? 'server-errors' : 'healthy-targets'}` }],
        }),
    );
    this.healthCheck = new route53.CfnHealthCheck(this, 'ApplicationHealth', {
      healthCheckConfig: {
        type: 'CALCULATED',
        childHealthChecks: children.map((c) => c.attrHealthCheckId),
        // Healthy only while every child is: either signal is reason for Shield to act sooner.
        healthThreshold: children.length,
      },
      healthCheckTags: [{ key: 'Name', value: `${props.name}-application-health` }],
    });

    const loadBalancerArn = props.loadBalancer.loadBalancerArn;
    this.protection = new shield.CfnProtection(this, 'Resource', {
      name: `${props.name}-load-balancer`,
      resourceArn: loadBalancerArn,
      healthCheckArns: [Stack.of(this).formatArn({ service: 'route53', region: '', account: '', resource: 'healthcheck', resourceName: this.healthCheck.attrHealthCheckId })],
      applicationLayerAutomaticResponseConfiguration:
        mitigation === 'off' ? undefined : { status: 'ENABLED', action: mitigation === 'block' ? { block: {} } : { count: {} } },
    });
    this.protection.node.addDependency(props.webAclAssociation);

    this.protectionGroup = new shield.CfnProtectionGroup(this, 'Group', {
      protectionGroupId: groupId,
      // The group's members are this application's entry points; SUM sees an attack spread over several of them.
      pattern: 'ARBITRARY',
      members: [loadBalancerArn],
      aggregation: 'SUM',
    });
    this.protectionGroup.addResourceDependency(this.protection);

    let access: shield.CfnDRTAccess | undefined;
    if (props.responseTeamAccess ?? true) {
      this.responseTeamRole = this.responseTeam(props.logBuckets ?? []);
      access = new shield.CfnDRTAccess(this, 'ResponseTeamAccess', { roleArn: this.responseTeamRole.roleArn });
      access.addResourceDependency(this.protection);
    }
    const contacts = props.emergencyContacts ?? [];
    if (contacts.length > 0) {
      const engagement = new shield.CfnProactiveEngagement(this, 'ProactiveEngagement', {
        proactiveEngagementStatus: 'ENABLED',
        emergencyContactList: contacts.map((c) => ({ emailAddress: c.email, phoneNumber: c.phone, contactNotes: c.notes })),
      });
      // Proactive engagement acts on the health checks of protected resources.
      engagement.addResourceDependency(this.protection);
      if (access) engagement.addResourceDependency(access);
    }
  }

  /** One alarm per signal: Route 53 health checks accept single-metric alarms only (no metric math). */
  private healthAlarms(props: ShieldAdvancedProps): cloudwatch.Alarm[] {
    const serverErrors = props.loadBalancer.metrics
      .httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM })
      .createAlarm(this, 'ServerErrors', {
        alarmName: `${props.name}-load-balancer-5xx`,
        alarmDescription: 'The load balancer answers with 5xx errors: the application is failing (Shield Advanced health-based detection)',
        threshold: SERVER_ERRORS_PER_MINUTE,
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    const healthyTargets = props.targetGroup.metrics
      .healthyHostCount({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MINIMUM })
      .createAlarm(this, 'HealthyTargets', {
        alarmName: `${props.name}-no-healthy-targets`,
        alarmDescription: 'No healthy instance behind the load balancer (Shield Advanced health-based detection)',
        threshold: 1,
        evaluationPeriods: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
    for (const alarm of [serverErrors, healthyTargets]) alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
    return [serverErrors, healthyTargets];
  }

  /** The role Shield hands to its Response Team: the AWS policy Shield requires, plus reading the edge's logs. */
  private responseTeam(logBuckets: readonly s3.IBucket[]): iam.Role {
    const role = new ManagedPolicyRole(this, 'ResponseTeamRole', {
      assumedBy: new iam.ServicePrincipal('drt.shield.amazonaws.com'),
      description: 'Shield Response Team: inspect and update the web ACL and protections during a DDoS event',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSShieldDRTAccessPolicy')],
    });
    acknowledge(role, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSShieldDRTAccessPolicy]',
      reason: 'Shield refuses an access role without the AWS-managed AWSShieldDRTAccessPolicy attached; AWS keeps it in step with what its Response Team needs',
    });
    // Read through our own grant rather than Shield's log-bucket association, which rewrites bucket policies CloudFormation owns.
    if (logBuckets.length > 0) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: logBuckets.map((b) => b.bucketArn) }));
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: logBuckets.map((b) => b.arnForObjects('*')) }));
      for (const bucket of logBuckets) {
        // As cdk-nag prints the objects' ARN: literal, <LogicalId.Arn> for a bucket of this stack, or with <AWS::Partition>.
        const objects = bucket.arnForObjects('*');
        const printed =
          typeof Stack.of(this).resolve(objects) === 'string' ? objects : bucket.node.defaultChild instanceof CfnElement ? `${arnToken(bucket)}/*` : objects.replace(Aws.PARTITION, '<AWS::Partition>');
        acknowledge(role, {
          id: `AwsSolutions-IAM5[Resource::${printed}]`,
          reason: 'The Shield Response Team reads (never writes) the objects of the edge log bucket: their keys carry the date and load balancer id and are unknown in advance',
        });
      }
    }
    return role;
  }
}

/** Whether the web ACL (as declared here, not resolved) carries a rate-based rule. */
function hasRateBasedRule(webAcl: wafv2.CfnWebACL): boolean {
  const rules = webAcl.rules;
  if (!Array.isArray(rules)) return false;
  return rules.some((rule) => {
    const statement = (rule as wafv2.CfnWebACL.RuleProperty).statement as wafv2.CfnWebACL.StatementProperty | undefined;
    return statement?.rateBasedStatement !== undefined;
  });
}
