import { App, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { serviceTimeoutFor, setServiceTimeout } from '../../../src/constructs/lambda/service-timeout';

describe('service timeouts of custom resources', () => {
  const stack = new Stack(new App(), 'Stack');

  test('a provider gets its longest wait plus three minutes', () => {
    expect(serviceTimeoutFor(stack, Duration.minutes(2)).toSeconds()).toBe(300);
    expect(serviceTimeoutFor(stack, Duration.minutes(57)).toSeconds()).toBe(3600);
  });

  test("a wait beyond CloudFormation's hour fails synthesis, naming the construct and the limit", () => {
    expect(() => serviceTimeoutFor(stack, Duration.minutes(58))).toThrow(/^Stack: the provider may take 3480 s, .* at most 3600 s; allow at most 3420 s$/);
    expect(() => serviceTimeoutFor(stack, Duration.hours(2))).toThrow(/at most 3600 s/);
  });

  test('setServiceTimeout writes the property on a custom resource the CDK created without it', () => {
    const s = new Stack(new App(), 'S');
    const resource = new CustomResource(s, 'R', { serviceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:f', resourceType: 'Custom::Thing' });
    setServiceTimeout(resource, Duration.minutes(5));
    Template.fromStack(s).hasResourceProperties('Custom::Thing', { ServiceTimeout: '300' });
    expect(() => setServiceTimeout(s, Duration.minutes(5))).toThrow(/is not a custom resource/);
  });
});
