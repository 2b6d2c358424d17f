import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { TrafficMirroring } from '../../../src/constructs/network/traffic-mirroring';
import { resourcesOfType, synthesizeExample } from '../../helpers/app';

describe('TrafficMirroring', () => {
  test('is off unless the config turns it on', () => {
    const { json } = synthesizeExample('dev');
    expect(resourcesOfType(json.Network!, 'AWS::EC2::TrafficMirrorSession')).toEqual([]);
    expect(resourcesOfType(json.Network!, 'AWS::EC2::TrafficMirrorTarget')).toEqual([]);
  });

  describe('when on (prod example)', () => {
    const { json } = synthesizeExample('prod');
    const rules = resourcesOfType(json.Network!, 'AWS::EC2::TrafficMirrorFilterRule').map(([, r]) => r);

    test('one target, the appliance ENI from the config', () => {
      expect(resourcesOfType(json.Network!, 'AWS::EC2::TrafficMirrorTarget').map(([, t]) => t.NetworkInterfaceId)).toEqual(['eni-0a1b2c3d4e5f60718']);
    });

    test.each(['ingress', 'egress'])('%s: flows inside the VPC are rejected before everything else is accepted', (direction) => {
      const ordered = rules.filter((r) => r.TrafficDirection === direction).sort((a, b) => a.RuleNumber - b.RuleNumber);
      expect(ordered.map((r) => [r.RuleAction, r.SourceCidrBlock, r.DestinationCidrBlock])).toEqual([
        ['reject', '10.30.0.0/16', '10.30.0.0/16'],
        ['accept', '0.0.0.0/0', '0.0.0.0/0'],
      ]);
      expect(ordered.every((r) => r.Protocol === undefined)).toBe(true);
    });

    test('a session for each sensitive ENI, with the configured VXLAN id', () => {
      const sessions = resourcesOfType(json.Network!, 'AWS::EC2::TrafficMirrorSession').map(([, s]) => s);
      expect(sessions).toEqual([expect.objectContaining({ NetworkInterfaceId: 'eni-0123456789abcdef0', VirtualNetworkId: 4242, SessionNumber: 1 })]);
    });
  });

  test('an NLB target works too, and two targets are refused', () => {
    const stack = new Stack(new App(), 'T');
    const arn = 'arn:aws:elasticloadbalancing:eu-west-1:222222222222:loadbalancer/net/mirror/0123456789abcdef';
    new TrafficMirroring(stack, 'M', { vpcCidr: '10.0.0.0/16', target: { networkLoadBalancerArn: arn }, sourceNetworkInterfaceIds: ['eni-0123456789abcdef0'] });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::TrafficMirrorTarget', { NetworkLoadBalancerArn: arn });
    expect(
      () => new TrafficMirroring(stack, 'N', { vpcCidr: '10.0.0.0/16', target: { networkLoadBalancerArn: arn, networkInterfaceId: 'eni-0123456789abcdef0' }, sourceNetworkInterfaceIds: [] }),
    ).toThrow(/exactly one of target/);
  });
});
