import { CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** How cdk-nag names a same-stack resource's ARN in a finding (`<LogicalId.Arn>`), for acknowledgements that name it. */
export function arnToken(resource: IConstruct): string {
  const cfn = resource.node.defaultChild;
  return cfn instanceof CfnElement ? `<${Stack.of(cfn).getLogicalId(cfn)}.Arn>` : `<${resource.node.id}.Arn>`;
}
