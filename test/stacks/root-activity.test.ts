import { TRAIL_ALARMS } from '../../src/constructs/detection/trail-alarm-catalog';
import { resourcesOfType, synthesizeExample } from '../helpers/app';

/**
 * Root sign-ins and IAM calls arrive in us-east-1, other calls in whatever region they are made:
 * the EventBridge rule of the deploy region cannot see them, the trail's log group can.
 */
describe('root activity in every region (standalone)', () => {
  const { json } = synthesizeExample('dev');
  const detection = json.Detection!;

  test('the trail records every region and the global services into one log group', () => {
    const [[, trail]] = resourcesOfType(detection, 'AWS::CloudTrail::Trail');
    expect(trail).toMatchObject({ IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true, IsLogging: true });
    expect(JSON.stringify(trail!.CloudWatchLogsLogGroupArn)).toMatch(/TrailLogs/);
  });

  test.each(['RootAccountUse', 'KmsKeyDisabledOrScheduledForDeletion', 'KmsKeyPolicyOrGrantChanges'])('the %s filter runs on that group and alarms to the findings topic', (id) => {
    const pattern = TRAIL_ALARMS.find((a) => a.id === id)!.pattern;
    const filters = resourcesOfType(detection, 'AWS::Logs::MetricFilter').filter(([, f]) => f.FilterPattern === pattern);
    expect(filters).toHaveLength(1);
    expect(JSON.stringify(filters[0]![1].LogGroupName)).toMatch(/TrailLogs/);
    const alarms = resourcesOfType(detection, 'AWS::CloudWatch::Alarm').filter(([, a]) => a.MetricName === id);
    expect(alarms).toHaveLength(1);
    expect(JSON.stringify(alarms[0]![1].AlarmActions)).toMatch(/RoutingTopic/);
  });
});
