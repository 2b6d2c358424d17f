import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { acknowledgeAll } from '../../compliance';

export interface ContainmentGroupsProps {
  readonly vpc: ec2.IVpc;
  /** The interface endpoints' group: the isolation group's only egress, when memory capture needs Systems Manager. */
  readonly endpointsSecurityGroup: ec2.ISecurityGroup;
  readonly memoryCapture: boolean;
}

/**
 * The two groups a quarantined instance's interfaces pass through. "Untrack"
 * admits all traffic both ways from anywhere, the one rule set under which EC2
 * stops tracking flows, so that the next swap cuts them instead of letting
 * tracked flows live on; an instance holds it for the length of one Wait state,
 * behind the ACL deny entries already in place. "Isolation" admits nothing in
 * and lets out only HTTPS to the endpoints' group when memory capture is on
 * (nothing at all otherwise).
 */
export class ContainmentGroups extends Construct {
  readonly untrack: ec2.SecurityGroup;
  readonly isolation: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: ContainmentGroupsProps) {
    super(scope, id);
    this.untrack = new ec2.SecurityGroup(this, 'Untrack', {
      vpc: props.vpc,
      description: 'Incident containment, seconds only: all traffic both ways so EC2 stops tracking the instance flows before isolation',
      allowAllOutbound: true,
    });
    this.untrack.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.allTraffic(), 'Untracked flows need all traffic allowed from anywhere');
    acknowledgeAll(
      this.untrack,
      ['AwsSolutions-EC23', 'NIST.800.53.R5-EC2RestrictedCommonPorts', 'NIST.800.53.R5-EC2RestrictedSSH', 'PCI.DSS.321-EC2RestrictedCommonPorts', 'PCI.DSS.321-EC2RestrictedSSH', 'HIPAA.Security-EC2RestrictedCommonPorts', 'HIPAA.Security-EC2RestrictedSSH'],
      'Attached only to a quarantined instance for one Wait state, after the network ACL deny entries for its addresses are in place; all-traffic rules both ways are what make EC2 stop tracking its flows so the isolation group then cuts them',
    );
    this.isolation = new ec2.SecurityGroup(this, 'Isolation', {
      vpc: props.vpc,
      description: props.memoryCapture
        ? 'Incident isolation: no ingress; HTTPS only to the interface endpoints for memory capture'
        : 'Incident isolation: no ingress, no egress',
      allowAllOutbound: false,
    });
    if (props.memoryCapture) this.isolation.addEgressRule(props.endpointsSecurityGroup, ec2.Port.tcp(443), 'Systems Manager and S3 for memory capture');
  }
}
