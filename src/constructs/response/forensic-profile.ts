import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance';
import { ManagedPolicyRole } from '../lambda/managed-policy-role';
import { arnToken } from './arn-token';

export interface ForensicProfileProps {
  readonly evidenceBucket: s3.IBucket;
  readonly evidenceKey: kms.IKey;
  /** Prefix under which the memory capture document writes. */
  readonly memoryPrefix: string;
}

/**
 * The instance profile a quarantined instance gets in place of its own:
 * Systems Manager core (so responders reach it through Session Manager and Run
 * Command) and, for memory capture, writing under one prefix of the evidence
 * bucket. Nothing the workload's role could do.
 */
export class ForensicProfile extends Construct {
  readonly role: iam.Role;
  readonly profile: iam.InstanceProfile;

  constructor(scope: Construct, id: string, props: ForensicProfileProps) {
    super(scope, id);
    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'Quarantined instances: Systems Manager core and memory capture upload only',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [props.evidenceBucket.arnForObjects(`${props.memoryPrefix}*`)] }));
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey'],
        resources: [props.evidenceKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
      }),
    );
    this.profile = new iam.InstanceProfile(this, 'Profile', { role: this.role });
    acknowledge(this.role, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      reason: 'AmazonSSMManagedInstanceCore is the minimum SSM Agent needs for Session Manager and Run Command on a quarantined instance; AWS updates it with the agent, which a copy would not follow',
    });
    acknowledge(this.role, {
      id: `AwsSolutions-IAM5[Resource::${arnToken(props.evidenceBucket)}/${props.memoryPrefix}*]`,
      reason: 'Memory images go under the case prefix of the evidence bucket; case ids are made at run time',
    });
  }
}
