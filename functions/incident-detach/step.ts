import { DescribeAutoScalingInstancesCommand, DetachInstancesCommand, EnterStandbyCommand } from '@aws-sdk/client-auto-scaling';
import { DeregisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { act, newReport, type CaseRef, type StepReport } from '../incident-shared/case';
import type { IncidentClients } from '../incident-shared/clients';
import { hasCode } from '../incident-shared/errors';

/**
 * Takes the instance out of service without shrinking the fleet: Standby (or
 * detach) with the desired capacity kept, so the group launches a replacement
 * and no longer health-checks, replaces or terminates this instance; then
 * deregistration from every target group it was found in.
 */
export async function detach(clients: IncidentClients, c: CaseRef, action: 'standby' | 'detach'): Promise<StepReport> {
  const report = newReport('detach');
  const id = c.instanceId;
  const asg = c.prior.autoScaling;
  if (asg) {
    const now = await clients.autoscaling.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [id] }));
    const state = now.AutoScalingInstances?.[0]?.LifecycleState;
    if (state === undefined || state === 'Standby' || state.startsWith('EnteringStandby') || state === 'Detaching') {
      report.done.push(`${id} already out of ${asg.groupName} (${state ?? 'detached'})`);
    } else if (state !== 'InService') {
      report.notDone.push(`${id} is ${state} in ${asg.groupName}: left in the group (only InService instances can enter Standby)`);
    } else if (action === 'standby') {
      await act(report, c.dryRun, `${id} to Standby in ${asg.groupName}, desired capacity kept (a replacement launches)`, () =>
        clients.autoscaling.send(new EnterStandbyCommand({ AutoScalingGroupName: asg.groupName, InstanceIds: [id], ShouldDecrementDesiredCapacity: false })),
      );
    } else {
      await act(report, c.dryRun, `${id} detached from ${asg.groupName}, desired capacity kept (a replacement launches)`, () =>
        clients.autoscaling.send(new DetachInstancesCommand({ AutoScalingGroupName: asg.groupName, InstanceIds: [id], ShouldDecrementDesiredCapacity: false })),
      );
    }
  }
  for (const tg of c.prior.targetGroups) {
    try {
      await act(report, c.dryRun, `${id} deregistered from ${tg.targetGroupArn}`, () =>
        clients.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: tg.targetGroupArn, Targets: [{ Id: id, Port: tg.port }] })),
      );
    } catch (error) {
      // Leaving (or being detached from) the Auto Scaling group may already have deregistered it.
      if (!hasCode(error, 'InvalidTargetException') && !hasCode(error, 'InvalidTarget')) throw error;
      report.done.push(`${id} no longer registered in ${tg.targetGroupArn}`);
    }
  }
  return report;
}
