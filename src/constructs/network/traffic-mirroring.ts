import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export interface TrafficMirroringProps {
  /** The VPC's CIDR: traffic whose source and destination both lie inside it is not mirrored. */
  readonly vpcCidr: string;
  /** Where mirrored packets go: exactly one of an NLB in front of appliances or one appliance ENI. */
  readonly target: { readonly networkLoadBalancerArn?: string; readonly networkInterfaceId?: string };
  /** ENIs of the instances running sensitive work; each gets one session. */
  readonly sourceNetworkInterfaceIds: readonly string[];
  /** VXLAN id the appliance sees. @default - AWS assigns one */
  readonly virtualNetworkId?: number;
  /** Session number of each session (lower is evaluated first on a source). @default 1 */
  readonly sessionNumber?: number;
}

/**
 * Traffic Mirroring as the SRA describes it: copy the traffic of sensitive
 * instances to one out-of-band monitoring appliance, mirroring everything
 * except flows that stay inside the VPC (source and destination both in its
 * CIDR). Rules are evaluated lowest number first in each direction.
 */
export class TrafficMirroring extends Construct {
  readonly target: ec2.CfnTrafficMirrorTarget;
  readonly filter: ec2.CfnTrafficMirrorFilter;
  readonly sessions: readonly ec2.CfnTrafficMirrorSession[];

  constructor(scope: Construct, id: string, props: TrafficMirroringProps) {
    super(scope, id);
    const { networkLoadBalancerArn, networkInterfaceId } = props.target;
    if (Boolean(networkLoadBalancerArn) === Boolean(networkInterfaceId)) {
      throw new Error(`${this.node.path}: give exactly one of target.networkLoadBalancerArn or target.networkInterfaceId`);
    }
    this.target = new ec2.CfnTrafficMirrorTarget(this, 'Target', {
      description: 'Out-of-band monitoring appliance for sensitive workload traffic',
      networkLoadBalancerArn,
      networkInterfaceId,
    });
    this.filter = new ec2.CfnTrafficMirrorFilter(this, 'Filter', {
      description: 'Mirror all traffic except flows between two addresses inside the VPC',
    });
    for (const direction of ['ingress', 'egress'] as const) {
      const suffix = direction === 'ingress' ? 'In' : 'Out';
      new ec2.CfnTrafficMirrorFilterRule(this, `SkipIntraVpc${suffix}`, {
        trafficMirrorFilterId: this.filter.ref,
        trafficDirection: direction,
        ruleNumber: 100,
        ruleAction: 'reject',
        sourceCidrBlock: props.vpcCidr,
        destinationCidrBlock: props.vpcCidr,
        description: 'Traffic that stays inside the VPC is not mirrored',
      });
      new ec2.CfnTrafficMirrorFilterRule(this, `MirrorRest${suffix}`, {
        trafficMirrorFilterId: this.filter.ref,
        trafficDirection: direction,
        ruleNumber: 200,
        ruleAction: 'accept',
        sourceCidrBlock: '0.0.0.0/0',
        destinationCidrBlock: '0.0.0.0/0',
        description: 'Everything entering or leaving the VPC is mirrored',
      });
    }
    this.sessions = props.sourceNetworkInterfaceIds.map(
      (eni) =>
        new ec2.CfnTrafficMirrorSession(this, `Session-${eni}`, {
          networkInterfaceId: eni,
          trafficMirrorTargetId: this.target.ref,
          trafficMirrorFilterId: this.filter.ref,
          sessionNumber: props.sessionNumber ?? 1,
          virtualNetworkId: props.virtualNetworkId,
          description: `Mirror of sensitive interface ${eni}`,
        }),
    );
  }
}
