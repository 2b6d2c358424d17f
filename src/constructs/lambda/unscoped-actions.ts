/**
 * Actions that support no resource-level permissions, so an IAM statement
 * granting them must name Resource "*". A test walks every synthesized policy
 * and fails if Resource "*" is granted for anything not listed here.
 */
export const UNSCOPED_ACTIONS: readonly string[] = [
  // Lambda: X-Ray tracing and attaching to the VPC.
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
  // Step Functions X-Ray tracing reads the sampling rules.
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  // Step Functions log delivery (vended logs): the CDK grants these on "*", including the two
  // (CreateLogStream, PutLogEvents) that could be scoped, because delivery targets are resolved by the service.
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
  // CloudWatch agent metrics (held to the fleet's namespace by a condition) and Session Manager's encryption check.
  'cloudwatch:PutMetricData',
  // Maintenance window command bookkeeping (sending commands is scoped by document and tag).
  'ssm:CancelCommand',
  'ssm:GetCommandInvocation',
  'ssm:ListCommands',
  'ssm:ListCommandInvocations',
  // The incident steps' reads: list-style Describe calls, which the Service Authorization Reference gives no
  // resource type (the per-instance reads, DescribeInstanceAttribute and the console output and screenshot, are scoped).
  'ec2:DescribeInstances',
  'ec2:DescribeNetworkAcls',
  'ec2:DescribeIamInstanceProfileAssociations',
  'ec2:DescribeSnapshots',
  'autoscaling:DescribeAutoScalingInstances',
  // Fleet mirroring's lookup of the sessions on an interface (List-style, no resource type).
  'ec2:DescribeTrafficMirrorSessions',
  'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetHealth',
  // The incident commands find their workflow by name.
  'states:ListStateMachines',
  // Secret rotation functions draw new values from Secrets Manager.
  'secretsmanager:GetRandomPassword',
  // Account-level settings of the guardrails.
  'iam:UpdateAccountPasswordPolicy',
  'iam:DeleteAccountPasswordPolicy',
  'ec2:EnableEbsEncryptionByDefault',
  'ec2:ModifyEbsDefaultKmsKeyId',
  'ec2:ResetEbsDefaultKmsKeyId',
  'ec2:ModifyInstanceMetadataDefaults',
  's3:PutAccountPublicAccessBlock',
  's3:GetAccountPublicAccessBlock',
  // Amazon Inspector account settings.
  'inspector2:BatchGetAccountStatus',
  'inspector2:Enable',
  'inspector2:Disable',
  // Amazon Macie account settings (results repository, Security Hub publication, automated discovery).
  'macie2:PutClassificationExportConfiguration',
  'macie2:PutFindingsPublicationConfiguration',
  'macie2:UpdateAutomatedDiscoveryConfiguration',
  // The Security Incident Response containment runbook checks the images it makes.
  'ec2:DescribeImages',
  // CloudHSM cluster lifecycle (CreateCluster and Describe* take no resource), and the EC2 reads it makes.
  'ec2:DescribeAvailabilityZones',
  'ec2:DescribeSubnets',
  'ec2:DescribeVpcs',
  'ec2:DescribeSecurityGroups',
  'cloudhsm:CreateCluster',
  'cloudhsm:DescribeClusters',
  'cloudhsm:DescribeBackups',
  // The VPC baseline reads the AWS-managed prefix lists (Describe* take no resource).
  'ec2:DescribeManagedPrefixLists',
];
