import { configFrom, synthesize, synthesizeExample, type Mutator, type Synthesized } from '../helpers/app';

/** Resource types whose replacement or deletion loses data or breaks what depends on them. */
const STATEFUL = ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::Logs::LogGroup', 'AWS::RDS::DBCluster', 'AWS::SecretsManager::Secret', 'AWS::Backup::BackupVault', 'AWS::DynamoDB::Table'];
const ADDRESSED = ['AWS::EC2::VPC', 'AWS::EC2::Subnet'];

function identities(s: Synthesized, types: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [stack, template] of Object.entries(s.json)) {
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (types.includes(resource.Type)) out[`${stack}/${id}`] = JSON.stringify(resource.Properties?.CidrBlock ?? resource.Type);
    }
  }
  return out;
}

describe('stateful resources', () => {
  test.each(['dev', 'prod'] as const)('%s: every stateful resource is retained (or snapshotted) when removed or replaced', (name) => {
    const { json } = synthesizeExample(name);
    const stateful = Object.values(json).flatMap((t) => Object.values(t.Resources).filter((r) => STATEFUL.includes(r.Type)));
    expect(stateful.length).toBeGreaterThan(0);
    for (const resource of stateful as { DeletionPolicy?: string; UpdateReplacePolicy?: string }[]) {
      expect(['Retain', 'Snapshot']).toContain(resource.DeletionPolicy);
      expect(['Retain', 'Snapshot']).toContain(resource.UpdateReplacePolicy);
    }
  });

  // Pinned so that renaming a construct, which would replace the resource, fails here first.
  test('logical ids of stateful and addressed resources are pinned', () => {
    expect(Object.keys(identities(synthesizeExample('dev'), [...STATEFUL, ...ADDRESSED])).sort()).toEqual(
      [
        'Security/KeysDataC9F9B497',
        'Security/KeysEbsDefault04D27A79',
        'Security/KeysLogsAD5FB0B7',
        'Security/KeysSecrets3472F0AF',
        'Security/KeysBackup47B3CF39',
        'Security/KeysOperationsB3FE4E21',
        'Security/LogArchiveAccessLogs2662F82C',
        'Security/LogArchiveLogsCD54F75B',
        'Data/BackupVaultADF21B19',
        'Data/DatabaseLogspostgresqlBCF4F758',
        'Data/DatabaseCluster5B53A178',
        'Data/Bucket7E0F6193',
        'Data/DatabaseBootstrapFunctionLogs01D81DE3',
        'Data/ServiceSecretF171A4BF',
        'Data/ServiceSecretRotationLogs380220E1',
        'Data/TokenVaultKey2146EBDF',
        'Data/TokenVaultTable8458E204',
        'Application/LoadBalancerLogs1CAC1340',
        'Application/WebAclLoggingGroup9CF97E51',
        'Application/FleetSystemLogs3CE8B188',
        'Application/FleetAppLogsC694B8F0',
        'Application/SystemsManagerSessionsLogs79868704',
        'Application/SystemsManagerPatchingOutput72925E9A',
        'Application/InspectorProviderOnEventLogsCA01B74B',
        'Application/InspectorProviderIsCompleteLogs9E0BB3C3',
        'Application/InspectorProviderFrameworkLogs41FF40A6',
        'Application/InspectorProviderWaiterLogsEC38D182',
        'Application/ImageRefreshHandlerLogs7C96BEF6',
        'Image/HardenedImageBuildLogs32053513',
        'Detection/TrailLogs73276642',
        'Detection/GuardrailsSettingsLogs67B459FE',
        'Response/EvidenceKey7D2C5E60',
        'Response/EvidenceBucket16CB1F44',
        'Response/WorkflowsIsolationLogs8D3D8FD8',
        'Response/WorkflowsReleaseLogs46564359',
        'Response/WorkflowsStepsLogs7D4DFC12',
        'Analytics/WorkgroupResults8991D111',
        'Network/Vpc49347EA9',
        'Network/BaselineFunctionLogs76AD9F50',
        'Network/VpcPublicSubnet1Subnet4D933E0A',
        'Network/VpcPublicSubnet2Subnet5691B95A',
        'Network/VpcAppSubnet1Subnet03A2F828',
        'Network/VpcAppSubnet2Subnet2AB61E55',
        'Network/VpcDataSubnet1Subnet91B29A86',
        'Network/VpcDataSubnet2Subnet0396D854',
      ].sort(),
    );
  });

  // `mode` is not in the list: it decides which services this account runs itself, so switching it
  // removes (and retains) the standalone services' logs, by design.
  // Structural fields (engine, adminUsername, databaseName, name, cidr, zones) are fixed at creation: changing
  // them replaces the database or the network, and deletion protection makes CloudFormation refuse.
  const changes: [string, Mutator][] = [
    ['flow-log retention', (c) => (c.network.flowLogs.retentionDays = 731)],
    ['flow-log aggregation', (c) => (c.network.flowLogs.maxAggregationSeconds = 600)],
    ['tags', (c) => (c.tags = { Owner: 'someone-else', Project: 'x' })],
    ['ingress sources', (c) => (c.network.ingressCidrs = ['203.0.113.0/24'])],
    ['endpoint list', (c) => (c.network.interfaceEndpoints = ['kms', 'ssm'])],
    ['NAT strategy', (c) => (c.network.natGateways = 'perAz')],
    ['app port', (c) => (c.application.port = 9000)],
    ['data classification', (c) => Object.assign(c, { data: { ...c.data, classification: 'critical', objectLock: { enabled: true, mode: 'COMPLIANCE', days: 30 } }, backup: { copyToVaultArn: 'arn:aws:backup:eu-central-1:999999999999:backup-vault:copy' } })],
    ['data owner', (c) => (c.data.owner = 'another-team')],
    ['rotation interval', (c) => (c.data.rotationDays = 7)],
    ['object lock retention', (c) => (c.data.objectLock = { enabled: true, mode: 'COMPLIANCE', days: 365 })],
    ['noncurrent version retention', (c) => (c.data.noncurrentVersionDays = 400)],
    ['backup copy target', (c) => (c.backup = { copyToVaultArn: 'arn:aws:backup:eu-central-1:999999999999:backup-vault:copy' })],
    ['key administrators', (c) => (c.keys.administratorRoleArns = ['arn:aws:iam::111111111111:role/other-admins'])],
    ['profile', (c) => (c.environments[0].profile = 'production')],
    ['organization id', (c) => (c.organizationId = 'o-zzzzzzzzzz')],
    ['flow-log destination', (c) => (c.network.flowLogs.destination = 'cloudWatchLogs')],
    [
      'response options (evidence retention, responders, isolation)',
      (c) =>
        (c.response = {
          evidenceRetentionDays: 731,
          responders: { trustedPrincipalArns: ['arn:aws:iam::111111111111:role/ir'] },
          autoIsolate: false,
          autoScalingAction: 'detach',
          memoryCapture: true,
          dryRun: true,
          minimumSeverity: 8,
        }),
    ],
    ['clean room switch', (c) => (c.response = { cleanRoom: { enabled: true } })],
  ];

  test.each(changes)('changing the %s neither renames nor re-addresses a stateful resource', (_what, mutate) => {
    const before = identities(synthesizeExample('dev'), [...STATEFUL, ...ADDRESSED]);
    const after = identities(synthesize(configFrom('dev', mutate)), [...STATEFUL, ...ADDRESSED]);
    // A new destination may add a resource (a log group); none that existed may go or change address.
    for (const [id, identity] of Object.entries(before)) expect(after[id]).toBe(identity);
  });
});
