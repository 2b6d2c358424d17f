/**
 * Interface endpoints this project knows how to police. Each entry says whether
 * the endpoint policy may also pin the *resource* to this account or
 * organization (`aws:ResourceAccount` / `aws:ResourceOrgID`). Services whose
 * agents must reach AWS-owned resources (SSM documents and parameters owned by
 * AWS, message channels keyed by instance) only get the principal condition:
 * a resource condition there would break Session Manager and Patch Manager.
 */
export interface EndpointSpec {
  /** Whether requests through the endpoint may be limited to resources of this account or organization. */
  readonly resourcePerimeter: boolean;
  /** What the endpoint is for, for the README and the synth summary. */
  readonly purpose: string;
}

export const INTERFACE_ENDPOINTS: Readonly<Record<string, EndpointSpec>> = {
  kms: { resourcePerimeter: true, purpose: 'encryption keys' },
  ssm: { resourcePerimeter: false, purpose: 'Systems Manager (AWS-owned documents and parameters)' },
  ssmmessages: { resourcePerimeter: false, purpose: 'Session Manager channels' },
  ec2messages: { resourcePerimeter: false, purpose: 'SSM Agent command channel' },
  ec2: { resourcePerimeter: false, purpose: 'EC2 API (describe calls return AWS-owned images)' },
  secretsmanager: { resourcePerimeter: true, purpose: 'application secrets' },
  logs: { resourcePerimeter: true, purpose: 'CloudWatch Logs' },
  monitoring: { resourcePerimeter: false, purpose: 'CloudWatch metrics (PutMetricData has no resource)' },
  sts: { resourcePerimeter: true, purpose: 'role assumption stays inside the account or organization' },
  sqs: { resourcePerimeter: true, purpose: 'queues' },
  sns: { resourcePerimeter: true, purpose: 'topics' },
  events: { resourcePerimeter: true, purpose: 'EventBridge' },
  lambda: { resourcePerimeter: true, purpose: 'Lambda invocations' },
  states: { resourcePerimeter: true, purpose: 'Step Functions' },
  'ecr.api': { resourcePerimeter: false, purpose: 'container registry API (AWS-owned base images)' },
  'ecr.dkr': { resourcePerimeter: false, purpose: 'container image pulls' },
  rds: { resourcePerimeter: true, purpose: 'RDS API' },
  'rds-data': { resourcePerimeter: true, purpose: 'RDS Data API' },
  inspector2: { resourcePerimeter: false, purpose: 'Amazon Inspector' },
  xray: { resourcePerimeter: false, purpose: 'X-Ray traces (PutTraceSegments has no resource)' },
  'elasticloadbalancing': { resourcePerimeter: true, purpose: 'Elastic Load Balancing API' },
  autoscaling: { resourcePerimeter: true, purpose: 'EC2 Auto Scaling API' },
  cloudformation: { resourcePerimeter: false, purpose: 'CloudFormation (signals and AWS-owned hooks)' },
  'guardduty-data': { resourcePerimeter: false, purpose: 'GuardDuty runtime agent' },
  cloudhsmv2: { resourcePerimeter: true, purpose: 'CloudHSM cluster management' },
};

export const KNOWN_INTERFACE_ENDPOINTS: readonly string[] = Object.keys(INTERFACE_ENDPOINTS);

/** The interface endpoints the SRA application account uses when the config names none. */
export const DEFAULT_INTERFACE_ENDPOINTS: readonly string[] = [
  'kms',
  'ssm',
  'ssmmessages',
  'ec2messages',
  'ec2',
  'secretsmanager',
  'logs',
  'monitoring',
  'sts',
];
