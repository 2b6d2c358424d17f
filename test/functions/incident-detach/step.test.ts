import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { detach } from '../../../functions/incident-detach/step';
import { fromTrigger, openCase } from '../../../functions/incident-open-case/step';
import { release } from '../../../functions/incident-release/step';
import { settingsFromEnvironment } from '../../../functions/incident-shared/clients';
import { resetMoto } from '../../helpers/moto';
import { buildAccount, compromisedInstance } from '../incident-shared/fixture';

describe('detach instead of standby', () => {
  test('the instance leaves its group with the desired capacity kept (a replacement launches), and release attaches it again', async () => {
    const account = await buildAccount(await resetMoto(), { autoScalingAction: 'detach' });
    const instanceId = await compromisedInstance(account);
    const ref = await openCase(account.clients, account.settings, { instanceId, executionName: 'detach' });
    if (!('prior' in ref)) throw new Error('the instance was under a case already');
    const report = await detach(account.clients, ref, 'detach');
    expect(report.done.join('\n')).toMatch(/detached from .*desired capacity kept/);
    const group = async () => (await account.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [account.groupName] }))).AutoScalingGroups![0]!;
    const after = await group();
    expect(after.DesiredCapacity).toBe(1);
    expect(after.Instances!.map((i) => i.InstanceId)).not.toContain(instanceId);
    expect(after.Instances!.filter((i) => i.LifecycleState === 'InService')).toHaveLength(1);
    // A repeat finds the instance out of the group and changes nothing.
    expect((await detach(account.clients, ref, 'detach')).done.join('\n')).toMatch(/already out of/);

    const released = await release(account.clients, account.settings, { caseId: ref.caseId });
    expect(released.done.join('\n')).toMatch(/attached again/);
    expect((await group()).Instances!.map((i) => i.InstanceId)).toContain(instanceId);
  });
});

describe('triggers', () => {
  test('a Security Hub custom action names the instance by its resource ARN', () => {
    expect(
      fromTrigger({
        securityHubFinding: {
          Id: 'f-1',
          Types: ['TTPs/Command and Control/Backdoor:EC2-C&CActivity.B'],
          Severity: { Label: 'HIGH' },
          Resources: [
            { Type: 'AwsEc2Volume', Id: 'arn:aws:ec2:eu-west-1:111111111111:volume/vol-1' },
            { Type: 'AwsEc2Instance', Id: 'arn:aws:ec2:eu-west-1:111111111111:instance/i-0123456789abcdef0' },
          ],
        },
      }),
    ).toEqual({ instanceId: 'i-0123456789abcdef0', finding: { id: 'f-1', type: 'TTPs/Command and Control/Backdoor:EC2-C&CActivity.B', severity: 'HIGH', source: 'securityhub' } });
  });

  test('a Security Hub finding without an instance gives no instance id (open case then refuses it)', () => {
    expect(fromTrigger({ securityHubFinding: { Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::b' }] } }).instanceId).toBeUndefined();
  });
});

describe('step function settings', () => {
  test('missing environment is one clear error naming the variables', () => {
    expect(() => settingsFromEnvironment({ EVIDENCE_BUCKET: 'b' })).toThrow(/environment variables missing: EVIDENCE_KEY_ARN, TOPIC_ARN/);
  });
});
