import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SSMClient } from '@aws-sdk/client-ssm';

type Sender<C extends { send: unknown }> = Pick<C, 'send'>;

/** The AWS clients the incident steps use; passed in so tests bind them to moto_server. */
export interface IncidentClients {
  readonly ec2: Sender<EC2Client>;
  readonly autoscaling: Sender<AutoScalingClient>;
  readonly elbv2: Sender<ElasticLoadBalancingV2Client>;
  readonly iam: Sender<IAMClient>;
  readonly s3: Sender<S3Client>;
  readonly sns: Sender<SNSClient>;
  readonly ssm: Sender<SSMClient>;
}

/** Deployment settings, from the function's environment. */
export interface IncidentSettings {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly evidenceBucket: string;
  readonly evidenceKeyArn: string;
  readonly topicArn: string;
  readonly untrackGroupId: string;
  readonly isolationGroupId: string;
  readonly forensicProfileArn: string;
  readonly forensicProfileName: string;
  readonly autoScalingAction: 'standby' | 'detach';
  readonly memoryCapture: boolean;
  readonly memoryDocument: string;
  /** Used when an execution's input does not say. */
  readonly dryRunDefault: boolean;
}

const REQUIRED = [
  'EVIDENCE_BUCKET',
  'EVIDENCE_KEY_ARN',
  'TOPIC_ARN',
  'UNTRACK_GROUP_ID',
  'ISOLATION_GROUP_ID',
  'FORENSIC_PROFILE_ARN',
  'FORENSIC_PROFILE_NAME',
  'AUTOSCALING_ACTION',
  'MEMORY_CAPTURE',
  'MEMORY_DOCUMENT',
  'DRY_RUN_DEFAULT',
  'AWS_REGION',
  'ACCOUNT_ID',
  'PARTITION',
] as const;

export function settingsFromEnvironment(env: NodeJS.ProcessEnv): IncidentSettings {
  const missing = REQUIRED.filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`incident workflow: environment variables missing: ${missing.join(', ')}`);
  const action = env.AUTOSCALING_ACTION;
  if (action !== 'standby' && action !== 'detach') throw new Error(`AUTOSCALING_ACTION must be standby or detach, got ${action}`);
  return {
    partition: env.PARTITION!,
    region: env.AWS_REGION!,
    account: env.ACCOUNT_ID!,
    evidenceBucket: env.EVIDENCE_BUCKET!,
    evidenceKeyArn: env.EVIDENCE_KEY_ARN!,
    topicArn: env.TOPIC_ARN!,
    untrackGroupId: env.UNTRACK_GROUP_ID!,
    isolationGroupId: env.ISOLATION_GROUP_ID!,
    forensicProfileArn: env.FORENSIC_PROFILE_ARN!,
    forensicProfileName: env.FORENSIC_PROFILE_NAME!,
    autoScalingAction: action,
    memoryCapture: env.MEMORY_CAPTURE === 'true',
    memoryDocument: env.MEMORY_DOCUMENT!,
    dryRunDefault: env.DRY_RUN_DEFAULT === 'true',
  };
}
