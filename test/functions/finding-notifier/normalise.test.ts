import { type EventBridgeEvent } from 'aws-lambda';
import { guardDutySeverity, labelSeverity, normaliseEvent } from '../../../functions/finding-notifier/normalise';

// Fixtures: EventBridge events as the services publish them (field names and nesting from each service's event
// reference), with example account ids, documentation IP ranges and made-up resource names.

type Event = EventBridgeEvent<string, unknown>;

const guardDutyInstanceFinding = {
  version: '0',
  id: 'c8c4daa7-a20c-2f03-0070-b7393dd542ad',
  'detail-type': 'GuardDuty Finding',
  source: 'aws.guardduty',
  account: '111122223333',
  time: '2025-03-04T10:15:30Z',
  region: 'eu-west-1',
  resources: [],
  detail: {
    schemaVersion: '2.0',
    accountId: '111122223333',
    region: 'eu-west-1',
    partition: 'aws',
    id: '46ba0ac2845071e23ccdeb2ae03bfdea',
    arn: 'arn:aws:guardduty:eu-west-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/46ba0ac2845071e23ccdeb2ae03bfdea',
    type: 'Recon:EC2/PortProbeUnprotectedPort',
    resource: {
      resourceType: 'Instance',
      instanceDetails: {
        instanceId: 'i-0c10c2c7863d1a356',
        instanceType: 't3.micro',
        availabilityZone: 'eu-west-1a',
        imageId: 'ami-0ff8a91507f77f867',
        instanceState: 'running',
        networkInterfaces: [
          {
            networkInterfaceId: 'eni-0a1b2c3d4e5f67890',
            privateIpAddress: '10.0.1.25',
            publicIp: '203.0.113.10',
            subnetId: 'subnet-0a1b2c3d',
            vpcId: 'vpc-0a1b2c3d',
            securityGroups: [{ groupId: 'sg-0a1b2c3d4e5f67890', groupName: 'web' }],
          },
        ],
        tags: [{ key: 'Name', value: 'web-1' }],
      },
    },
    service: {
      serviceName: 'guardduty',
      detectorId: '12abc34d567e8fa901bc2d34e56789f0',
      action: {
        actionType: 'PORT_PROBE',
        portProbeAction: {
          blocked: false,
          portProbeDetails: [
            { localPortDetails: { port: 22, portName: 'SSH' }, remoteIpDetails: { ipAddressV4: '198.51.100.7' } },
          ],
        },
      },
      resourceRole: 'TARGET',
      archived: false,
      count: 4,
      eventFirstSeen: '2025-03-04T09:58:12.000Z',
      eventLastSeen: '2025-03-04T10:14:59.000Z',
    },
    severity: 5,
    createdAt: '2025-03-04T09:58:12.345Z',
    updatedAt: '2025-03-04T10:14:59.001Z',
    title: 'Unprotected port on EC2 instance i-0c10c2c7863d1a356 is being probed.',
    description: 'EC2 instance has an unprotected port which is being probed by a known malicious host.',
  },
};

// S3 findings name the caller's access key as well as the bucket; the bucket is the resource.
const guardDutyS3Finding = {
  ...guardDutyInstanceFinding,
  id: '0f5c2a3e-8d3b-4a3f-9c1e-2b7d6e5f4a3b',
  detail: {
    ...guardDutyInstanceFinding.detail,
    id: 'a4c5e1f0b2d3c4e5f6a7b8c9d0e1f2a3',
    type: 'Policy:S3/BucketAnonymousAccessGranted',
    resource: {
      resourceType: 'S3Bucket',
      accessKeyDetails: {
        accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
        principalId: 'AROA1234567890EXAMPLE:ops-admin',
        userName: 'ops-admin',
        userType: 'AssumedRole',
      },
      s3BucketDetails: [
        {
          arn: 'arn:aws:s3:::example-app-logs',
          name: 'example-app-logs',
          type: 'Destination',
          createdAt: '2024-11-02T08:00:00.000Z',
          owner: { id: '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c' },
          defaultServerSideEncryption: { encryptionType: 'aws:kms' },
        },
      ],
    },
    severity: 8,
    title: 'Amazon S3 Public Anonymous Access was granted for the S3 bucket example-app-logs.',
  },
};

const guardDutyAccessKeyFinding = {
  ...guardDutyInstanceFinding,
  detail: {
    ...guardDutyInstanceFinding.detail,
    id: 'b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6',
    type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
    resource: {
      resourceType: 'AccessKey',
      accessKeyDetails: {
        accessKeyId: 'ASIAI44QH8DHBEXAMPLE',
        principalId: 'AROA1234567890EXAMPLE:i-0c10c2c7863d1a356',
        userName: 'web-instance-role',
        userType: 'AssumedRole',
      },
    },
    severity: 9.5,
    title: 'Credentials for instance role web-instance-role used from external IP address.',
  },
};

const securityHubImported = {
  version: '0',
  id: '8e5622f9-d81c-4d81-612a-9319e7ee2506',
  'detail-type': 'Security Hub Findings - Imported',
  source: 'aws.securityhub',
  account: '111122223333',
  time: '2025-03-04T11:00:00Z',
  region: 'eu-west-1',
  resources: [
    'arn:aws:securityhub:eu-west-1::product/aws/securityhub/arn:aws:securityhub:eu-west-1:111122223333:subscription/aws-foundational-security-best-practices/v/1.0.0/S3.8/finding/0b1c2d3e-4f5a-4b7c-8d9e-0f1a2b3c4d5e',
  ],
  detail: {
    findings: [
      {
        SchemaVersion: '2018-10-08',
        Id: 'arn:aws:securityhub:eu-west-1:111122223333:subscription/aws-foundational-security-best-practices/v/1.0.0/S3.8/finding/0b1c2d3e-4f5a-4b7c-8d9e-0f1a2b3c4d5e',
        ProductArn: 'arn:aws:securityhub:eu-west-1::product/aws/securityhub',
        ProductName: 'Security Hub',
        CompanyName: 'AWS',
        Region: 'eu-west-1',
        GeneratorId: 'aws-foundational-security-best-practices/v/1.0.0/S3.8',
        AwsAccountId: '111122223333',
        Types: ['Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices'],
        FirstObservedAt: '2025-03-04T10:58:00.000Z',
        LastObservedAt: '2025-03-04T10:59:00.000Z',
        CreatedAt: '2025-03-04T10:58:00.000Z',
        UpdatedAt: '2025-03-04T10:59:00.000Z',
        Severity: { Product: 70, Label: 'HIGH', Normalized: 70, Original: 'HIGH' },
        Title: 'S3 general purpose buckets should block public access',
        Description: 'This control checks whether an Amazon S3 general purpose bucket blocks public access at the bucket level.',
        Remediation: { Recommendation: { Text: 'For information on how to correct this issue, consult the AWS Security Hub controls documentation.', Url: 'https://docs.aws.amazon.com/console/securityhub/S3.8/remediation' } },
        ProductFields: { StandardsArn: 'arn:aws:securityhub:::standards/aws-foundational-security-best-practices/v/1.0.0', ControlId: 'S3.8' },
        Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::example-app-logs', Partition: 'aws', Region: 'eu-west-1' }],
        Compliance: { Status: 'FAILED', SecurityControlId: 'S3.8' },
        WorkflowState: 'NEW',
        Workflow: { Status: 'NEW' },
        RecordState: 'ACTIVE',
      },
      {
        // A third-party product's finding imported from another account and region, with no Label: the
        // Normalized score (0-100) decides.
        SchemaVersion: '2018-10-08',
        Id: 'example-scanner/111122223333/us-east-1/9f8e7d6c',
        ProductArn: 'arn:aws:securityhub:us-east-1:444455556666:product/444455556666/default',
        Region: 'us-east-1',
        GeneratorId: 'example-scanner-rule-17',
        AwsAccountId: '444455556666',
        Types: ['Unusual Behaviors/Application'],
        CreatedAt: '2025-03-04T10:00:00.000Z',
        UpdatedAt: '2025-03-04T10:00:00.000Z',
        Severity: { Normalized: 95 },
        Title: 'Reverse shell detected in container payments-api',
        Description: 'A process opened an outbound shell.',
        Resources: [{ Type: 'Container', Id: 'payments-api-7d9f', Partition: 'aws', Region: 'us-east-1' }],
        RecordState: 'ACTIVE',
      },
    ],
  },
};

const inspectorFinding = {
  version: '0',
  id: '6e4a1c0b-0c5a-4f2e-8d7b-1a2b3c4d5e6f',
  'detail-type': 'Inspector2 Finding',
  source: 'aws.inspector2',
  account: '111122223333',
  time: '2025-03-04T12:00:00Z',
  region: 'eu-west-1',
  resources: ['i-0c10c2c7863d1a356'],
  detail: {
    awsAccountId: '111122223333',
    description: 'A use-after-free in the OpenSSL X.509 policy check allows a denial of service.',
    findingArn: 'arn:aws:inspector2:eu-west-1:111122223333:finding/0a1b2c3d4e5f60718293a4b5c6d7e8f9',
    firstObservedAt: 'Mar 4, 2025, 11:58:01 AM',
    inspectorScore: 7.5,
    inspectorScoreDetails: { adjustedCvss: { score: 7.5, scoreSource: 'NVD', scoringVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', version: '3.1' } },
    lastObservedAt: 'Mar 4, 2025, 11:58:01 AM',
    packageVulnerabilityDetails: {
      cvss: [],
      referenceUrls: [],
      relatedVulnerabilities: [],
      source: 'NVD',
      sourceUrl: 'https://nvd.nist.gov/vuln/detail/CVE-2023-0464',
      vendorSeverity: 'HIGH',
      vulnerabilityId: 'CVE-2023-0464',
      vulnerablePackages: [{ arch: 'X86_64', epoch: 1, name: 'openssl', packageManager: 'OS', release: '1.amzn2', version: '1.0.2k' }],
    },
    remediation: { recommendation: { text: 'None Provided' } },
    resources: [
      {
        details: { awsEc2Instance: { iamInstanceProfileArn: 'arn:aws:iam::111122223333:instance-profile/web', imageId: 'ami-0ff8a91507f77f867', platform: 'AMAZON_LINUX_2', type: 't3.micro' } },
        id: 'i-0c10c2c7863d1a356',
        partition: 'aws',
        region: 'eu-west-1',
        type: 'AWS_EC2_INSTANCE',
      },
    ],
    severity: 'HIGH',
    status: 'ACTIVE',
    title: 'CVE-2023-0464 - openssl',
    type: 'PACKAGE_VULNERABILITY',
    updatedAt: 'Mar 4, 2025, 11:58:01 AM',
  },
};

const accessAnalyzerPublicBucket = {
  version: '0',
  id: '22222222-dcba-4444-dcba-333333333333',
  'detail-type': 'Access Analyzer Finding',
  source: 'aws.access-analyzer',
  account: '111122223333',
  time: '2025-03-04T13:00:00Z',
  region: 'eu-west-1',
  resources: ['arn:aws:access-analyzer:eu-west-1:111122223333:analyzer/OrgAnalyzer'],
  detail: {
    version: '1.0',
    id: 'a5018b23-b0b7-4b0b-b3c4-0d7e0a1b2c3d',
    status: 'ACTIVE',
    resourceType: 'AWS::S3::Bucket',
    resource: 'arn:aws:s3:::example-public-assets',
    createdAt: '2025-03-04T12:59:50Z',
    analyzedAt: '2025-03-04T12:59:50Z',
    updatedAt: '2025-03-04T12:59:50Z',
    accountId: '111122223333',
    region: 'eu-west-1',
    principal: { AWS: '*' },
    action: ['s3:GetObject'],
    condition: {},
    isDeleted: false,
    isPublic: true,
  },
};

const accessAnalyzerCrossAccountRole = {
  ...accessAnalyzerPublicBucket,
  detail: {
    ...accessAnalyzerPublicBucket.detail,
    id: 'c7d8e9f0-1a2b-4c3d-9e8f-7a6b5c4d3e2f',
    resourceType: 'AWS::IAM::Role',
    resource: 'arn:aws:iam::111122223333:role/vendor-audit',
    principal: { AWS: '444455556666' },
    action: ['sts:AssumeRole'],
    isPublic: false,
  },
};

const configNonCompliant = {
  version: '0',
  id: '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910',
  'detail-type': 'Config Rules Compliance Change',
  source: 'aws.config',
  account: '111122223333',
  time: '2025-03-04T14:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: {
    resourceId: 'sg-0a1b2c3d4e5f67890',
    awsRegion: 'eu-west-1',
    awsAccountId: '111122223333',
    configRuleName: 'restricted-ssh',
    recordVersion: '1.0',
    configRuleARN: 'arn:aws:config:eu-west-1:111122223333:config-rule/config-rule-a1b2c3',
    messageType: 'ComplianceChangeNotification',
    newEvaluationResult: {
      evaluationResultIdentifier: {
        evaluationResultQualifier: {
          configRuleName: 'restricted-ssh',
          resourceType: 'AWS::EC2::SecurityGroup',
          resourceId: 'sg-0a1b2c3d4e5f67890',
          evaluationMode: 'DETECTIVE',
        },
        orderingTimestamp: '2025-03-04T13:59:40.000Z',
      },
      complianceType: 'NON_COMPLIANT',
      resultRecordedTime: '2025-03-04T13:59:55.000Z',
      configRuleInvokedTime: '2025-03-04T13:59:50.000Z',
    },
    oldEvaluationResult: {
      evaluationResultIdentifier: {
        evaluationResultQualifier: {
          configRuleName: 'restricted-ssh',
          resourceType: 'AWS::EC2::SecurityGroup',
          resourceId: 'sg-0a1b2c3d4e5f67890',
          evaluationMode: 'DETECTIVE',
        },
        orderingTimestamp: '2025-03-01T09:00:00.000Z',
      },
      complianceType: 'COMPLIANT',
      resultRecordedTime: '2025-03-01T09:00:10.000Z',
      configRuleInvokedTime: '2025-03-01T09:00:05.000Z',
    },
    notificationCreationTime: '2025-03-04T13:59:56.000Z',
    resourceType: 'AWS::EC2::SecurityGroup',
  },
};

const acmApproachingExpiration = {
  version: '0',
  id: '9c95e8e4-96a4-ef3f-b739-b6aa5b193afb',
  'detail-type': 'ACM Certificate Approaching Expiration',
  source: 'aws.acm',
  account: '111122223333',
  time: '2025-03-04T06:51:08Z',
  region: 'eu-west-1',
  resources: ['arn:aws:acm:eu-west-1:111122223333:certificate/61f50cd4-45b9-4259-b049-d0a53682fa4b'],
  detail: { DaysToExpiry: 31, CommonName: 'app.example.com' },
};

const secretsManagerRotationFailed = {
  version: '0',
  id: '3f8a2b1c-4d5e-6f70-8192-a3b4c5d6e7f8',
  'detail-type': 'AWS Service Event via CloudTrail',
  source: 'aws.secretsmanager',
  account: '111122223333',
  time: '2025-03-04T15:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: {
    eventVersion: '1.08',
    userIdentity: { accountId: '111122223333', invokedBy: 'secretsmanager.amazonaws.com' },
    eventTime: '2025-03-04T15:00:00Z',
    eventSource: 'secretsmanager.amazonaws.com',
    eventName: 'RotationFailed',
    awsRegion: 'eu-west-1',
    sourceIPAddress: 'secretsmanager.amazonaws.com',
    userAgent: 'secretsmanager.amazonaws.com',
    requestParameters: null,
    responseElements: null,
    additionalEventData: { SecretId: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/orders-db-AbCdEf' },
    requestID: 'c2a5f0e1-7b3d-4e8f-9a1b-2c3d4e5f6a7b',
    eventID: 'e7d6c5b4-a392-4817-b6c5-d4e3f2a1b0c9',
    readOnly: false,
    eventType: 'AwsServiceEvent',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
  },
};

const cloudWatchRootActivityAlarm = {
  version: '0',
  id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
  'detail-type': 'CloudWatch Alarm State Change',
  source: 'aws.cloudwatch',
  account: '111122223333',
  time: '2025-03-04T16:04:40Z',
  region: 'eu-west-1',
  resources: ['arn:aws:cloudwatch:eu-west-1:111122223333:alarm:root-account-usage'],
  detail: {
    alarmName: 'root-account-usage',
    state: {
      value: 'ALARM',
      reason: 'Threshold Crossed: 1 out of the last 1 datapoints [1.0 (04/03/25 16:03:00)] was greater than or equal to the threshold (1.0).',
      reasonData: '{"version":"1.0","queryDate":"2025-03-04T16:04:40.985+0000"}',
      timestamp: '2025-03-04T16:04:40.989+0000',
    },
    previousState: {
      value: 'OK',
      reason: 'Threshold Crossed: 1 out of the last 1 datapoints [0.0 (04/03/25 15:03:00)] was not greater than or equal to the threshold (1.0).',
      timestamp: '2025-03-04T15:04:40.989+0000',
    },
    configuration: {
      description: 'The root user signed in or called an API',
      metrics: [
        {
          id: '1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d',
          metricStat: {
            metric: { namespace: 'CloudTrailMetrics', name: 'RootAccountUsageCount', dimensions: {} },
            period: 300,
            stat: 'Sum',
          },
          returnData: true,
        },
      ],
    },
  },
};

const healthEvent = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'AWS Health Event',
  source: 'aws.health',
  account: '111122223333',
  time: '2025-03-04T17:00:00Z',
  region: 'eu-west-1',
  resources: [
    'arn:aws:ec2:eu-west-1:111122223333:instance/i-0aaaaaaaaaaaaaaa1',
    'arn:aws:ec2:eu-west-1:111122223333:instance/i-0aaaaaaaaaaaaaaa2',
    'arn:aws:ec2:eu-west-1:111122223333:instance/i-0aaaaaaaaaaaaaaa3',
    'arn:aws:ec2:eu-west-1:111122223333:instance/i-0aaaaaaaaaaaaaaa4',
  ],
  detail: { eventArn: 'arn:aws:health:eu-west-1::event/EC2/AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED/x', service: 'EC2' },
};

const asEvent = (value: unknown): Event => value as Event;
const one = (value: unknown) => {
  const findings = normaliseEvent(asEvent(value));
  expect(findings).toHaveLength(1);
  return findings[0];
};
/** A fixture with some of its detail fields replaced, for the variants of one sample. */
function withDetail<T extends { detail: object }>(event: T, detail: Record<string, unknown>): T {
  return { ...event, detail: { ...event.detail, ...detail } };
}

describe('GuardDuty findings', () => {
  test('an EC2 finding names the instance and links to the finding', () => {
    expect(one(guardDutyInstanceFinding)).toEqual({
      source: 'aws.guardduty',
      detailType: 'GuardDuty Finding',
      title: 'Unprotected port on EC2 instance i-0c10c2c7863d1a356 is being probed.',
      severity: 'MEDIUM',
      resource: 'i-0c10c2c7863d1a356',
      resourceType: 'Instance',
      account: '111122223333',
      region: 'eu-west-1',
      link: 'https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-1#/findings?macros=current&fId=46ba0ac2845071e23ccdeb2ae03bfdea',
      id: '46ba0ac2845071e23ccdeb2ae03bfdea',
    });
  });

  test('an S3 finding names the bucket, not the access key of the caller', () => {
    const f = one(guardDutyS3Finding);
    expect(f).toMatchObject({ resource: 'arn:aws:s3:::example-app-logs', resourceType: 'S3Bucket', severity: 'HIGH' });
  });

  test('an access key finding names the key, and 9.5 is CRITICAL', () => {
    expect(one(guardDutyAccessKeyFinding)).toMatchObject({
      resource: 'ASIAI44QH8DHBEXAMPLE',
      resourceType: 'AccessKey',
      severity: 'CRITICAL',
      title: 'Credentials for instance role web-instance-role used from external IP address.',
    });
  });

  test('a resource type this code does not know still yields whatever details block is present', () => {
    const event = withDetail(guardDutyInstanceFinding, {
      resource: { resourceType: 'SomeFutureType', lambdaDetails: { functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:f' } },
    });
    expect(one(event).resource).toBe('arn:aws:lambda:eu-west-1:111122223333:function:f');
  });

  test.each([
    [10, 'CRITICAL'],
    [9, 'CRITICAL'],
    [8.9, 'HIGH'],
    [7, 'HIGH'],
    [6.9, 'MEDIUM'],
    [4, 'MEDIUM'],
    [3.9, 'LOW'],
    [1, 'LOW'],
    ['8', 'HIGH'],
    [undefined, 'LOW'],
  ])('severity %p is %s', (value, expected) => {
    expect(guardDutySeverity(value)).toBe(expected);
    expect(one(withDetail(guardDutyInstanceFinding, { severity: value })).severity).toBe(expected);
  });
});

describe('Security Hub findings', () => {
  test('one message per finding, with ASFF fields and a console search link to each', () => {
    const findings = normaliseEvent(asEvent(securityHubImported));
    expect(findings).toEqual([
      {
        source: 'aws.securityhub',
        detailType: 'Security Hub Findings - Imported',
        title: 'S3 general purpose buckets should block public access',
        severity: 'HIGH',
        resource: 'arn:aws:s3:::example-app-logs',
        resourceType: 'AwsS3Bucket',
        account: '111122223333',
        region: 'eu-west-1',
        // The id is URL-encoded twice: once inside the search filter, once for the fragment.
        link:
          'https://eu-west-1.console.aws.amazon.com/securityhub/home?region=eu-west-1#/findings?search=Id%3D%255Coperator%255C%253AEQUALS%255C%253A' +
          'arn%253Aaws%253Asecurityhub%253Aeu-west-1%253A111122223333%253Asubscription%252Faws-foundational-security-best-practices' +
          '%252Fv%252F1.0.0%252FS3.8%252Ffinding%252F0b1c2d3e-4f5a-4b7c-8d9e-0f1a2b3c4d5e',
        id: 'arn:aws:securityhub:eu-west-1:111122223333:subscription/aws-foundational-security-best-practices/v/1.0.0/S3.8/finding/0b1c2d3e-4f5a-4b7c-8d9e-0f1a2b3c4d5e',
      },
      expect.objectContaining({
        title: 'Reverse shell detected in container payments-api',
        severity: 'CRITICAL',
        resource: 'payments-api-7d9f',
        // The finding's own account and region, while the link stays in the region the event was delivered to.
        account: '444455556666',
        region: 'us-east-1',
        link: expect.stringMatching(/^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/securityhub\//),
      }),
    ]);
  });

  test.each([
    ['CRITICAL', 'CRITICAL'],
    ['high', 'HIGH'],
    ['MEDIUM', 'MEDIUM'],
    ['LOW', 'LOW'],
    ['INFORMATIONAL', 'INFORMATIONAL'],
    ['UNTRIAGED', 'INFORMATIONAL'],
    ['SOMETHING_NEW', 'INFORMATIONAL'],
  ])('label %s is %s', (label, expected) => {
    expect(labelSeverity(label)).toBe(expected);
  });

  test.each([
    [0, 'INFORMATIONAL'],
    [1, 'LOW'],
    [39, 'LOW'],
    [40, 'MEDIUM'],
    [69, 'MEDIUM'],
    [70, 'HIGH'],
    [89, 'HIGH'],
    [90, 'CRITICAL'],
  ])('without a label, Normalized %d is %s', (score, expected) => {
    const event = { ...securityHubImported, detail: { findings: [{ ...securityHubImported.detail.findings[1], Severity: { Normalized: score } }] } };
    expect(one(event).severity).toBe(expected);
  });
});

describe('Inspector findings', () => {
  test('title, label severity, first resource and a link to the findings list', () => {
    expect(one(inspectorFinding)).toEqual({
      source: 'aws.inspector2',
      detailType: 'Inspector2 Finding',
      title: 'CVE-2023-0464 - openssl',
      severity: 'HIGH',
      resource: 'i-0c10c2c7863d1a356',
      resourceType: 'AWS_EC2_INSTANCE',
      account: '111122223333',
      region: 'eu-west-1',
      link: 'https://eu-west-1.console.aws.amazon.com/inspector/v2/home?region=eu-west-1#/findings/all',
      id: 'arn:aws:inspector2:eu-west-1:111122223333:finding/0a1b2c3d4e5f60718293a4b5c6d7e8f9',
    });
  });

  test('UNTRIAGED is informational', () => {
    expect(one(withDetail(inspectorFinding, { severity: 'UNTRIAGED' })).severity).toBe('INFORMATIONAL');
  });
});

describe('IAM Access Analyzer findings', () => {
  test('public access is HIGH', () => {
    expect(one(accessAnalyzerPublicBucket)).toEqual({
      source: 'aws.access-analyzer',
      detailType: 'Access Analyzer Finding',
      title: 'External access to arn:aws:s3:::example-public-assets (public)',
      severity: 'HIGH',
      resource: 'arn:aws:s3:::example-public-assets',
      resourceType: 'AWS::S3::Bucket',
      account: '111122223333',
      region: 'eu-west-1',
      link: 'https://eu-west-1.console.aws.amazon.com/access-analyzer/home?region=eu-west-1#/findings',
      id: 'a5018b23-b0b7-4b0b-b3c4-0d7e0a1b2c3d',
    });
  });

  test('cross-account access is MEDIUM and names the principal', () => {
    expect(one(accessAnalyzerCrossAccountRole)).toMatchObject({
      title: 'External access to arn:aws:iam::111122223333:role/vendor-audit from 444455556666',
      severity: 'MEDIUM',
      resourceType: 'AWS::IAM::Role',
    });
  });

  test('a resolved finding is informational and says so', () => {
    expect(one(withDetail(accessAnalyzerPublicBucket, { status: 'RESOLVED' }))).toMatchObject({
      title: '[RESOLVED] External access to arn:aws:s3:::example-public-assets (public)',
      severity: 'INFORMATIONAL',
    });
  });
});

describe('Config rule compliance changes', () => {
  test('NON_COMPLIANT is MEDIUM, with the rule, resource and a link to the rule', () => {
    expect(one(configNonCompliant)).toEqual({
      source: 'aws.config',
      detailType: 'Config Rules Compliance Change',
      title: 'Config rule restricted-ssh: NON_COMPLIANT',
      severity: 'MEDIUM',
      resource: 'sg-0a1b2c3d4e5f67890',
      resourceType: 'AWS::EC2::SecurityGroup',
      account: '111122223333',
      region: 'eu-west-1',
      link: 'https://eu-west-1.console.aws.amazon.com/config/home?region=eu-west-1#/rules/details?configRuleName=restricted-ssh',
      id: '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910',
    });
  });

  test('returning to COMPLIANT is informational', () => {
    const event = withDetail(configNonCompliant, {
      newEvaluationResult: { ...configNonCompliant.detail.newEvaluationResult, complianceType: 'COMPLIANT' },
    });
    expect(one(event)).toMatchObject({ title: 'Config rule restricted-ssh: COMPLIANT', severity: 'INFORMATIONAL' });
  });
});

describe('ACM certificate expiry', () => {
  test('31 days out is MEDIUM, with the certificate ARN and a link to it', () => {
    expect(one(acmApproachingExpiration)).toEqual({
      source: 'aws.acm',
      detailType: 'ACM Certificate Approaching Expiration',
      title: 'Certificate app.example.com expires in 31 days',
      severity: 'MEDIUM',
      resource: 'arn:aws:acm:eu-west-1:111122223333:certificate/61f50cd4-45b9-4259-b049-d0a53682fa4b',
      resourceType: 'AWS::CertificateManager::Certificate',
      account: '111122223333',
      region: 'eu-west-1',
      link: 'https://eu-west-1.console.aws.amazon.com/acm/home?region=eu-west-1#/certificates/61f50cd4-45b9-4259-b049-d0a53682fa4b',
      id: '9c95e8e4-96a4-ef3f-b739-b6aa5b193afb',
    });
  });

  test.each([
    [1, 'HIGH', 'expires in 1 day'],
    [7, 'HIGH', 'expires in 7 days'],
    [8, 'MEDIUM', 'expires in 8 days'],
  ])('%d days is %s', (days, severity, wording) => {
    const f = one(withDetail(acmApproachingExpiration, { DaysToExpiry: days }));
    expect(f.severity).toBe(severity);
    expect(f.title).toBe(`Certificate app.example.com ${wording}`);
  });
});

describe('Secrets Manager rotation failures', () => {
  test('RotationFailed is HIGH and names the secret', () => {
    expect(one(secretsManagerRotationFailed)).toEqual({
      source: 'aws.secretsmanager',
      detailType: 'AWS Service Event via CloudTrail',
      title: 'Secret rotation failed: arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/orders-db-AbCdEf',
      severity: 'HIGH',
      resource: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/orders-db-AbCdEf',
      resourceType: 'AWS::SecretsManager::Secret',
      account: '111122223333',
      region: 'eu-west-1',
      // The console opens secrets by name: the ARN's random suffix is dropped.
      link: 'https://eu-west-1.console.aws.amazon.com/secretsmanager/secret?name=prod%2Forders-db&region=eu-west-1',
      id: 'e7d6c5b4-a392-4817-b6c5-d4e3f2a1b0c9',
    });
  });

  test('without additionalEventData the event resources name the secret', () => {
    const event = {
      ...withDetail(secretsManagerRotationFailed, { additionalEventData: undefined }),
      resources: ['arn:aws:secretsmanager:eu-west-1:111122223333:secret:other-XyZ123'],
    };
    expect(one(event).resource).toBe('arn:aws:secretsmanager:eu-west-1:111122223333:secret:other-XyZ123');
  });

  test('other Secrets Manager service events are only informational', () => {
    expect(one(withDetail(secretsManagerRotationFailed, { eventName: 'RotationSucceeded' }))).toMatchObject({
      title: 'AWS Service Event via CloudTrail from aws.secretsmanager',
      severity: 'INFORMATIONAL',
    });
  });
});

describe('CloudWatch alarm state changes', () => {
  test('ALARM is HIGH, titled with the alarm name and description', () => {
    expect(one(cloudWatchRootActivityAlarm)).toEqual({
      source: 'aws.cloudwatch',
      detailType: 'CloudWatch Alarm State Change',
      title: 'root-account-usage: The root user signed in or called an API',
      severity: 'HIGH',
      resource: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:root-account-usage',
      resourceType: 'AWS::CloudWatch::Alarm',
      account: '111122223333',
      region: 'eu-west-1',
      link: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/root-account-usage',
      id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
    });
  });

  test('returning to OK is informational', () => {
    const event = withDetail(cloudWatchRootActivityAlarm, { state: { value: 'OK', reason: 'back to normal' } });
    expect(one(event)).toMatchObject({ title: 'root-account-usage is now OK', severity: 'INFORMATIONAL' });
  });

  test('a long multi-line description is folded onto one line and clipped', () => {
    const event = withDetail(cloudWatchRootActivityAlarm, {
      configuration: { description: `Unauthorized API calls\n\n${'x'.repeat(500)}` },
    });
    const { title } = one(event);
    expect(title).not.toContain('\n');
    expect(title.startsWith('root-account-usage: Unauthorized API calls x')).toBe(true);
    expect(title).toHaveLength(200);
    expect(title.endsWith('…')).toBe(true);
  });
});

describe('anything else', () => {
  test('an unknown event is a generic informational message listing up to three resources', () => {
    expect(one(healthEvent)).toEqual({
      source: 'aws.health',
      detailType: 'AWS Health Event',
      title: 'AWS Health Event from aws.health',
      severity: 'INFORMATIONAL',
      resource:
        'arn:aws:ec2:eu-west-1:111122223333:instance/i-0aaaaaaaaaaaaaaa1, arn:aws:ec2:eu-west-1:111122223333:instance/i-0aaaaaaaaaaaaaaa2, ' +
        'arn:aws:ec2:eu-west-1:111122223333:instance/i-0aaaaaaaaaaaaaaa3 (+1 more)',
      account: '111122223333',
      region: 'eu-west-1',
      id: '7bf73129-1428-4cd3-a780-95db273d1602',
    });
  });

  test('a custom source cannot pass itself off as a GuardDuty finding', () => {
    expect(one({ ...guardDutyInstanceFinding, source: 'my.app' })).toMatchObject({
      title: 'GuardDuty Finding from my.app',
      severity: 'INFORMATIONAL',
    });
  });

  const knownTypes = [
    guardDutyInstanceFinding,
    securityHubImported,
    inspectorFinding,
    accessAnalyzerPublicBucket,
    configNonCompliant,
    acmApproachingExpiration,
    secretsManagerRotationFailed,
    cloudWatchRootActivityAlarm,
  ];
  const brokenDetails: [string, unknown][] = [
    ['missing', undefined],
    ['null', null],
    ['a string', 'oops'],
    ['an array', [1, 2]],
    ['empty', {}],
    ['wrongly typed', { findings: 'x', severity: {}, resource: 7, resources: 'x', title: ['x'], state: 'ALARM', principal: [null] }],
  ];
  test.each(knownTypes.flatMap((event) => brokenDetails.map(([label, detail]) => [event['detail-type'], label, event, detail] as const)))(
    '%s with a detail that is %s still yields a message',
    (_type, _label, event, detail) => {
      const findings = normaliseEvent(asEvent({ ...event, detail }));
      expect(findings.length).toBeGreaterThan(0);
      for (const f of findings) {
        expect(typeof f.title).toBe('string');
        expect(f.title.length).toBeGreaterThan(0);
        expect(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL']).toContain(f.severity);
      }
    },
  );

  test.each([null, undefined, 42, 'text', [], {}, { source: {}, 'detail-type': null, resources: 'arn:x' }])(
    'a value that is not an event at all (%p) yields one generic message',
    (value) => {
      const [f] = normaliseEvent(asEvent(value));
      expect(f.severity).toBe('INFORMATIONAL');
      expect(f.title).toBe('unknown from unknown');
    },
  );

  test('an empty Security Hub findings list is reported, not dropped', () => {
    expect(one({ ...securityHubImported, detail: { findings: [] } })).toMatchObject({
      title: 'Security Hub Findings - Imported from aws.securityhub',
      severity: 'INFORMATIONAL',
    });
  });
});

describe('console links outside the aws partition', () => {
  test('GovCloud uses its own console host and keeps the region', () => {
    const f = one({ ...guardDutyInstanceFinding, region: 'us-gov-west-1' });
    expect(f.link).toBe(
      'https://console.amazonaws-us-gov.com/guardduty/home?region=us-gov-west-1#/findings?macros=current&fId=46ba0ac2845071e23ccdeb2ae03bfdea',
    );
  });

  test('China uses its own console host', () => {
    expect(one({ ...cloudWatchRootActivityAlarm, region: 'cn-north-1' }).link).toBe(
      'https://console.amazonaws.cn/cloudwatch/home?region=cn-north-1#alarmsV2:alarm/root-account-usage',
    );
  });

  test.each(['us-iso-east-1', 'us-isob-east-1', 'eusc-de-east-1', 'evil.example.com/x?', ''])(
    'region %p gets no link, and no error',
    (region) => {
      const f = one({ ...configNonCompliant, region });
      expect(f.link).toBeUndefined();
      expect(f.title).toBe('Config rule restricted-ssh: NON_COMPLIANT');
    },
  );
});
