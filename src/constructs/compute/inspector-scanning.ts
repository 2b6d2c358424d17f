import { join } from 'node:path';
import { Aws, CustomResource, Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as inspector from 'aws-cdk-lib/aws-inspectorv2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { SecureProvider } from '../lambda/secure-provider';

/** The handlers: `onEvent` enables or disables scan types, `isComplete` waits until Inspector reports them. */
export const INSPECTOR_HANDLER = join(__dirname, '..', '..', '..', 'functions', 'inspector-enablement', 'handler.ts');

/** Scan types the handler manages (see functions/inspector-enablement/resource-types.ts). */
export type InspectorScanType = 'EC2' | 'ECR' | 'LAMBDA' | 'LAMBDA_CODE';

/** When Inspector runs a CIS scan: daily, weekly on `days`, or monthly on the first `day` of the month. */
export interface CisScanSchedule {
  readonly frequency: 'daily' | 'weekly' | 'monthly';
  readonly days?: readonly string[];
  readonly day?: string;
  /** HH:MM, 24-hour. */
  readonly time: string;
  /** IANA name, e.g. UTC. */
  readonly timeZone: string;
}

/** A CIS benchmark scan of the instances that carry `tag`. */
export interface CisScan {
  readonly name: string;
  readonly tag: { readonly key: string; readonly value: string };
  readonly level: 'LEVEL_1' | 'LEVEL_2';
  readonly schedule: CisScanSchedule;
}

export interface InspectorScanningProps {
  /**
   * Whether this account enables Amazon Inspector itself (standalone mode).
   * In organization mode the delegated administrator enables it for every
   * member, and this construct creates nothing.
   */
  readonly enabled: boolean;
  /** @default ['EC2'] (the app fleet; agentless with SSM Agent) */
  readonly scanTypes?: readonly InspectorScanType[];
  /** A scheduled CIS benchmark scan (needs EC2 scanning). @default - none */
  readonly cisScan?: CisScan;
  /** Disable the scan types this resource enabled when it is deleted; that deletes their findings. @default false */
  readonly disableOnDelete?: boolean;
  readonly vpc: ec2.IVpc;
  /** Private subnets with a path to the Inspector API (the inspector2 endpoint or NAT). */
  readonly subnets: ec2.SubnetSelection;
  /** Encrypts the handlers' environment and dead-letter queues. */
  readonly key: kms.IKey;
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
}

/**
 * Enables Amazon Inspector scanning in this account (Security Hub
 * Inspector.1) through a custom resource: the SRA's vulnerability and
 * network-reachability findings for the fleet, sent to Security Hub when both
 * run in the account.
 */
export class InspectorScanning extends Construct {
  /** Absent when `enabled` is false. */
  readonly resource?: CustomResource;
  readonly provider?: SecureProvider;
  /** Absent when `enabled` is false or no `cisScan` is given. */
  readonly cisScanConfiguration?: inspector.CfnCisScanConfiguration;

  constructor(scope: Construct, id: string, props: InspectorScanningProps) {
    super(scope, id);
    if (!props.enabled) return;
    const scanTypes = props.scanTypes ?? ['EC2'];
    if (scanTypes.length === 0 || new Set(scanTypes).size !== scanTypes.length) {
      throw new Error(`${this.node.path}: scanTypes must list each scan type at most once, and at least one (got ${JSON.stringify(scanTypes)})`);
    }
    if (scanTypes.includes('LAMBDA_CODE') && !scanTypes.includes('LAMBDA')) {
      throw new Error(`${this.node.path}: scanTypes lists LAMBDA_CODE without LAMBDA; Lambda code scanning runs on top of Lambda scanning`);
    }

    this.provider = new SecureProvider(this, 'Provider', {
      entry: INSPECTOR_HANDLER,
      description: 'Amazon Inspector enablement',
      withIsComplete: true,
      calls: ['inspector2'],
      vpc: props.vpc,
      subnets: props.subnets,
      key: props.key,
      logsKey: props.logsKey,
      logRetentionDays: props.logRetentionDays,
      totalTimeout: Duration.minutes(30),
    });
    const status = new iam.PolicyStatement({ sid: 'ReadAccountStatus', actions: ['inspector2:BatchGetAccountStatus'], resources: ['*'] });
    this.provider.onEvent.role.addToPrincipalPolicy(status);
    this.provider.onEvent.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'EnableAndDisableScans', actions: ['inspector2:Enable', 'inspector2:Disable'], resources: ['*'] }),
    );
    // Enable creates Inspector's service-linked role the first time; nothing else may be created.
    this.provider.onEvent.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'CreateInspectorServiceLinkedRole',
        actions: ['iam:CreateServiceLinkedRole'],
        resources: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/inspector2.amazonaws.com/AWSServiceRoleForAmazonInspector2`],
        conditions: { StringEquals: { 'iam:AWSServiceName': 'inspector2.amazonaws.com' } },
      }),
    );
    this.provider.isComplete!.role.addToPrincipalPolicy(status);
    // Resource * (the inspector2 account settings) is covered by the provider's acknowledgement; the IAM scope test checks the actions.

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.provider.provider.serviceToken,
      resourceType: 'Custom::InspectorEnablement',
      serviceTimeout: this.provider.serviceTimeout,
      properties: {
        AccountId: Aws.ACCOUNT_ID,
        ResourceTypes: [...scanTypes],
        DisableOnDelete: String(props.disableOnDelete ?? false),
      },
    });

    if (props.cisScan) {
      if (!scanTypes.includes('EC2')) throw new Error(`${this.node.path}: a CIS scan needs EC2 scanning; add EC2 to scanTypes`);
      this.cisScanConfiguration = new inspector.CfnCisScanConfiguration(this, 'CisScan', {
        scanName: props.cisScan.name,
        securityLevel: props.cisScan.level,
        schedule: cisSchedule(props.cisScan.schedule),
        // SELF: this account only; the fleet's instances are found by their tag at each run, so replaced instances are scanned too.
        targets: { accountIds: ['SELF'], targetResourceTags: { [props.cisScan.tag.key]: [props.cisScan.tag.value] } },
      });
      // Inspector must be on (and its service-linked role exist) before a scan configuration is accepted.
      this.cisScanConfiguration.node.addDependency(this.resource);
    }
  }
}

function cisSchedule(s: CisScanSchedule): inspector.CfnCisScanConfiguration.ScheduleProperty {
  const startTime = { timeOfDay: s.time, timeZone: s.timeZone };
  switch (s.frequency) {
    case 'daily':
      return { daily: { startTime } };
    case 'weekly':
      if (!s.days || s.days.length === 0) throw new Error('a weekly CIS scan needs days');
      return { weekly: { days: [...s.days], startTime } };
    case 'monthly':
      if (!s.day) throw new Error('a monthly CIS scan needs day');
      return { monthly: { day: s.day, startTime } };
  }
}
