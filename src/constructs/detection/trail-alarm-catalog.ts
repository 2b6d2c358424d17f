/**
 * CloudWatch Logs metric filters on the CloudTrail log group, one alarm each:
 * the CIS AWS Foundations Benchmark monitoring set (Security Hub CloudWatch.1–14)
 * and key hygiene, written once here so the construct and its tests read the same
 * patterns. The trail is multi-region and delivers every region's events to the
 * one group, so each filter watches every region, root sign-ins in us-east-1 included.
 */
export interface TrailAlarm {
  /** Construct id and metric name. */
  readonly id: string;
  readonly description: string;
  /** Security Hub control that asks for this filter and alarm, if one does. */
  readonly securityHubControl?: string;
  /** CloudWatch Logs filter pattern over CloudTrail records. */
  readonly pattern: string;
}

/** `($.eventName = A) || ($.eventName = B) ...` */
function anyEvent(names: readonly string[]): string {
  return names.map((n) => `($.eventName = ${n})`).join(' || ');
}

export const TRAIL_ALARMS: readonly TrailAlarm[] = [
  {
    id: 'RootAccountUse',
    description: 'The root user made a request (not an AWS service acting for it)',
    securityHubControl: 'CloudWatch.1',
    pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
  },
  {
    id: 'UnauthorizedApiCalls',
    description: 'A request was refused for lack of permission',
    securityHubControl: 'CloudWatch.2',
    pattern:
      '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
  },
  {
    id: 'ConsoleSignInWithoutMfa',
    description: 'An IAM user signed in to the console without MFA',
    securityHubControl: 'CloudWatch.3',
    pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  },
  {
    id: 'IamPolicyChanges',
    description: 'An IAM policy was created, changed, attached or detached',
    securityHubControl: 'CloudWatch.4',
    pattern: `{ ${anyEvent([
      'DeleteGroupPolicy',
      'DeleteRolePolicy',
      'DeleteUserPolicy',
      'PutGroupPolicy',
      'PutRolePolicy',
      'PutUserPolicy',
      'CreatePolicy',
      'DeletePolicy',
      'CreatePolicyVersion',
      'DeletePolicyVersion',
      'SetDefaultPolicyVersion',
      'AttachRolePolicy',
      'DetachRolePolicy',
      'AttachUserPolicy',
      'DetachUserPolicy',
      'AttachGroupPolicy',
      'DetachGroupPolicy',
    ])} }`,
  },
  {
    id: 'CloudTrailChanges',
    description: 'A trail was created, changed, deleted, started or stopped',
    securityHubControl: 'CloudWatch.5',
    pattern: `{ ${anyEvent(['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'])} }`,
  },
  {
    id: 'KmsKeyDisabledOrScheduledForDeletion',
    description: 'A customer-managed key was disabled or scheduled for deletion',
    securityHubControl: 'CloudWatch.7',
    pattern: `{ ($.eventSource = kms.amazonaws.com) && (${anyEvent(['DisableKey', 'ScheduleKeyDeletion'])}) }`,
  },
  {
    // Not a CIS control: a rewritten key policy can open a key to use, and a grant made by a principal
    // (not by an AWS service for a resource, which carries invokedBy) gives use outside the policy.
    id: 'KmsKeyPolicyOrGrantChanges',
    description: 'A key policy was rewritten, or a grant was created by a principal rather than by an AWS service for a resource',
    pattern: '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = PutKeyPolicy) || (($.eventName = CreateGrant) && ($.userIdentity.invokedBy NOT EXISTS))) }',
  },
  {
    id: 'ConfigChanges',
    description: 'The AWS Config recorder or delivery channel was stopped, changed or deleted',
    securityHubControl: 'CloudWatch.9',
    pattern: `{ ($.eventSource = config.amazonaws.com) && (${anyEvent(['StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutConfigurationRecorder'])}) }`,
  },
  {
    id: 'SecurityGroupChanges',
    description: 'A security group or one of its rules was created, changed or deleted',
    securityHubControl: 'CloudWatch.10',
    pattern: `{ ${anyEvent([
      'AuthorizeSecurityGroupIngress',
      'AuthorizeSecurityGroupEgress',
      'RevokeSecurityGroupIngress',
      'RevokeSecurityGroupEgress',
      'ModifySecurityGroupRules',
      'CreateSecurityGroup',
      'DeleteSecurityGroup',
    ])} }`,
  },
  {
    id: 'NetworkAclChanges',
    description: 'A network ACL, one of its entries or a subnet association was changed',
    securityHubControl: 'CloudWatch.11',
    pattern: `{ ${anyEvent(['CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation'])} }`,
  },
  {
    id: 'NetworkGatewayChanges',
    description: 'An internet or customer gateway was created, attached, detached or deleted',
    securityHubControl: 'CloudWatch.12',
    pattern: `{ ${anyEvent(['CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway', 'CreateInternetGateway', 'DeleteInternetGateway', 'DetachInternetGateway'])} }`,
  },
  {
    id: 'RouteTableChanges',
    description: 'A route table, route or route table association was changed',
    securityHubControl: 'CloudWatch.13',
    pattern: `{ ($.eventSource = ec2.amazonaws.com) && (${anyEvent([
      'CreateRoute',
      'CreateRouteTable',
      'ReplaceRoute',
      'ReplaceRouteTableAssociation',
      'DeleteRouteTable',
      'DeleteRoute',
      'DisassociateRouteTable',
    ])}) }`,
  },
];
