import { CfnResource, Duration } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Time a custom-resource framework needs around its handler to answer CloudFormation. */
const FRAMEWORK_MARGIN = Duration.minutes(3);
/** CloudFormation's limit (and default) for a custom resource's ServiceTimeout. */
const MAX_SERVICE_TIMEOUT = Duration.hours(1);
/** For custom resources that make one or a few API calls: a handler that has not answered by then never will. */
export const SINGLE_CALL_SERVICE_TIMEOUT = Duration.minutes(5);

/**
 * The ServiceTimeout for a custom resource whose handling may take `longest`: that plus the framework's margin.
 * Fails synthesis when the sum exceeds CloudFormation's one-hour limit, which would end the wait before the handler.
 */
export function serviceTimeoutFor(scope: IConstruct, longest: Duration): Duration {
  const seconds = longest.toSeconds() + FRAMEWORK_MARGIN.toSeconds();
  if (seconds > MAX_SERVICE_TIMEOUT.toSeconds()) {
    throw new Error(
      `${scope.node.path}: the provider may take ${longest.toSeconds()} s, but CloudFormation fails a custom resource after at most ${MAX_SERVICE_TIMEOUT.toSeconds()} s; allow at most ${MAX_SERVICE_TIMEOUT.toSeconds() - FRAMEWORK_MARGIN.toSeconds()} s`,
    );
  }
  return Duration.seconds(seconds);
}

/**
 * Sets ServiceTimeout on a custom resource that the CDK creates inside one of its constructs without exposing the
 * setting (e.g. the VPC's default-security-group cleanup). `resource` is the CustomResource construct.
 */
export function setServiceTimeout(resource: IConstruct, timeout: Duration): void {
  const cfn = resource.node.defaultChild;
  if (!(cfn instanceof CfnResource) || !(cfn.cfnResourceType.startsWith('Custom::') || cfn.cfnResourceType === 'AWS::CloudFormation::CustomResource')) {
    throw new Error(`${resource.node.path} is not a custom resource`);
  }
  cfn.addPropertyOverride('ServiceTimeout', String(timeout.toSeconds()));
}
