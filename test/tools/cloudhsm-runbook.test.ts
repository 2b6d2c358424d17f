import * as sdk from '@aws-sdk/client-cloudhsm-v2';
import type { Cluster, Hsm } from '@aws-sdk/client-cloudhsm-v2';
import { hsmMock, DescribeClustersCommand, InitializeClusterCommand } from '../helpers/cloudhsm-mock';
import { parse } from 'yaml';
import { validateConfig } from '../../src/config';
import { runbook } from '../../tools/cloudhsm-runbook';
import { exampleConfig } from '../helpers/app';

/** Removes the indentation the runbook prints its snippets with. */
const dedent = (text: string) => {
  const indent = Math.min(...text.split('\n').filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return text.split('\n').map((l) => l.slice(indent)).join('\n');
};


// Made with the openssl commands the csr command prints (EC P-256, valid 2026-11-24 to 2126-10-31): a self-signed CA,
// a certificate it signed, an unrelated CA, and a CSR.
const CA = `-----BEGIN CERTIFICATE-----
MIIBizCCATGgAwIBAgIUUmHiA7lKK4YVKcgolzRpgZBWpmowCgYIKoZIzj0EAwIw
GjEYMBYGA1UEAwwPVGVzdCBJc3N1aW5nIENBMCAXDTI2MTEyNDA2MTY1MFoYDzIx
MjYxMDMxMDYxNjUwWjAaMRgwFgYDVQQDDA9UZXN0IElzc3VpbmcgQ0EwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAAQranxwjOR8MGqIj+YK2TAHYUCz6PbfO4ZVtUwF
mhFTpPRHtB1/aNtoQLcSF4E+wSpXqHHifdlGljEQ/rCshLIpo1MwUTAdBgNVHQ4E
FgQUiDv4GzZlhbvegAqRSPIHQiLls8AwHwYDVR0jBBgwFoAUiDv4GzZlhbvegAqR
SPIHQiLls8AwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEA0MxD
kF9qn1pFBmziBbHaFJ0X5DUmlaSpSFtvD6ojxeUCIBngPCLi5nWHvX+0mQCZn9y/
cXFlbM7nNZQjrXDuP9Ya
-----END CERTIFICATE-----
`;
const SIGNED = `-----BEGIN CERTIFICATE-----
MIIBNzCB3wIUS7tI6Jk2K2P5rHB48LXHo1n+llkwCgYIKoZIzj0EAwIwGjEYMBYG
A1UEAwwPVGVzdCBJc3N1aW5nIENBMCAXDTI2MTEyNDA2MTY1MFoYDzIxMjYxMDMx
MDYxNjUwWjAiMSAwHgYDVQQDDBdIU006Y2x1c3Rlci1hYmNkZWZnaGlqazBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABDoxXA4KCx1QxKTXU+0Li3O0WgSv4TtgaQmm
q3adyOZTuDgZXYtS3+mMkGdpc+v3h0A3A2HbuL7Zbq5Mj81SqocwCgYIKoZIzj0E
AwIDRwAwRAIgYJL/PAJTg26I4fhGqWc39Mndo8+uKcZIyAKdegHEsTICIDypjbfC
Gt1y3gKITPle/gDIk75RTOZ4HR4gH1130/Rg
-----END CERTIFICATE-----
`;
const OTHER_CA = `-----BEGIN CERTIFICATE-----
MIIBhzCCAS2gAwIBAgIUYWybviyaiXIPUl7svNjCON/ZB70wCgYIKoZIzj0EAwIw
GDEWMBQGA1UEAwwNU29tZSBPdGhlciBDQTAgFw0yNjExMjQwNjE2NTBaGA8yMTI2
MTAzMTA2MTY1MFowGDEWMBQGA1UEAwwNU29tZSBPdGhlciBDQTBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABL/2DPsAam3jUnqrgyL6XZp7cT/pzuFqtQzythgVe95H
kSUieVJyUiZNfWUwpeVSKqhZCDVcbWaA3hK/QrOezYmjUzBRMB0GA1UdDgQWBBSS
Sovlq9ej8yPcZ71SRL9Vrn6+1TAfBgNVHSMEGDAWgBSSSovlq9ej8yPcZ71SRL9V
rn6+1TAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIHaud91M63eu
5mK8dY/3w05TVC1Pldp4oXqHsQNgB64AAiEAkFfmUHSWHp/zM24DzaAsASjueZcz
33TXSbMukU7Cyyc=
-----END CERTIFICATE-----
`;
const CSR = `-----BEGIN CERTIFICATE REQUEST-----
MIHdMIGEAgEAMCIxIDAeBgNVBAMMF0hTTTpjbHVzdGVyLWFiY2RlZmdoaWprMFkw
EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEOjFcDgoLHVDEpNdT7QuLc7RaBK/hO2Bp
Caardp3I5lO4OBldi1Lf6YyQZ2lz6/eHQDcDYdu4vtlurkyPzVKqh6AAMAoGCCqG
SM49BAMCA0gAMEUCIQD48asjSCNzHibRaiTEeSplOt/DvvW4mMiUZEEsmYGBHgIg
Onm/4qj8jDZ4FlOeju+fc6RNISWlErRZagEQoTdo+1I=
-----END CERTIFICATE REQUEST-----
`;

const CLUSTER_ID = 'cluster-abcdefghijk';
const NOW = new Date('2030-01-01T00:00:00Z');

const hsm = (HsmId: string, AvailabilityZone: string, State: string, EniIp?: string): Hsm => ({ HsmId, AvailabilityZone, State, EniIp, SubnetId: `subnet-0${AvailabilityZone.slice(-1)}1` });
const cluster = (State: string, extra: Partial<Cluster> = {}): Cluster => ({
  ClusterId: CLUSTER_ID,
  State,
  VpcId: 'vpc-0123456789abcdef0',
  SecurityGroup: 'sg-0123456789abcdef0',
  HsmType: 'hsm2m.medium',
  BackupRetentionPolicy: { Type: 'DAYS', Value: '90' },
  Hsms: [hsm('hsm-aaaaaaaaaaa', 'eu-west-1a', 'ACTIVE', '10.0.1.10'), hsm('hsm-bbbbbbbbbbb', 'eu-west-1b', 'ACTIVE', '10.0.2.10')],
  ...extra,
});
const describes = (c: Cluster) => hsmMock.on(DescribeClustersCommand).resolves({ Clusters: [c] });

async function run(argv: string[], options: { files?: Record<string, string>; now?: Date } = {}) {
  const files = { ...options.files };
  const out: string[] = [];
  const err: string[] = [];
  const regions: (string | undefined)[] = [];
  const code = await runbook(argv, {
    clientFor: (region) => {
      regions.push(region);
      return new sdk.CloudHSMV2Client({ region: region ?? 'eu-west-1' });
    },
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return text;
    },
    writeFile: (path, text) => {
      files[path] = text;
    },
    print: (line) => out.push(line),
    printError: (line) => err.push(line),
    now: () => options.now ?? NOW,
  });
  return { code, out: out.join('\n'), err: err.join('\n'), files, regions };
}

beforeEach(() => hsmMock.reset());

describe('cloudhsm runbook: command line', () => {
  test('help prints the commands and exits 0', async () => {
    const { code, out } = await run(['help']);
    expect(code).toBe(0);
    expect(out).toContain('next-steps --cluster-id <value> --key-store-name <value>');
  });

  test.each([
    [[], 'no command given; allowed: status, csr, initialize, next-steps'],
    [['destroy'], 'unknown command "destroy"; allowed: status, csr, initialize, next-steps'],
    [['status'], 'status needs --cluster-id'],
    [['csr', '--cluster-id', CLUSTER_ID], 'csr needs --out'],
    [['initialize', '--cluster-id', CLUSTER_ID], 'initialize needs --cert and --trust-anchor'],
    [['status', '--cluster-id', 'cluster-1'], '--cluster-id must be a CloudHSM cluster id: "cluster-" and 11-16 letters or digits 2-7 (got "cluster-1")'],
    [['status', '--cluster-id'], '--cluster-id needs a value'],
    [['status', '--cluster-id', CLUSTER_ID, '--region', 'Ireland'], '--region must be an AWS Region name such as eu-west-1 (got "Ireland")'],
    [['status', '--cluster-id', CLUSTER_ID, '--out', 'x'], 'unknown flag --out for status; allowed: --cluster-id, --region'],
    [['status', '--cluster-id', CLUSTER_ID, '--cluster-id', CLUSTER_ID], '--cluster-id is given twice'],
    [['status', CLUSTER_ID], `unexpected argument "${CLUSTER_ID}"`],
    [['next-steps', '--cluster-id', CLUSTER_ID, '--key-store-name', 'a"b'], '--key-store-name must be 1-256 characters'],
  ])('%j is a usage error naming the flag (exit 2)', async (argv, message) => {
    const { code, err } = await run(argv);
    expect(code).toBe(2);
    expect(err).toContain(`error: ${message}`);
    expect(hsmMock.calls()).toHaveLength(0);
  });

  test('a failing AWS call is reported and exits 1', async () => {
    hsmMock.on(DescribeClustersCommand).rejects(new sdk.CloudHsmAccessDeniedException({ message: 'not authorized to DescribeClusters', $metadata: {} }));
    const { code, err } = await run(['status', '--cluster-id', CLUSTER_ID]);
    expect(code).toBe(1);
    expect(err).toBe('error: not authorized to DescribeClusters');
  });
});

describe('status', () => {
  test('shows state, HSMs and the CSR, and names the next command, in the given Region', async () => {
    describes(cluster('UNINITIALIZED', { Certificates: { ClusterCsr: CSR } }));
    const { code, out, regions } = await run(['status', '--cluster-id', CLUSTER_ID, '--region', 'eu-west-2']);
    expect(code).toBe(0);
    expect(regions).toEqual(['eu-west-2']);
    expect(hsmMock.commandCalls(DescribeClustersCommand)[0]!.args[0].input).toEqual({ Filters: { clusterIds: [CLUSTER_ID] } });
    expect(out).toContain(`Cluster ${CLUSTER_ID}: UNINITIALIZED`);
    expect(out).toContain('VPC vpc-0123456789abcdef0, security group sg-0123456789abcdef0, HSM type hsm2m.medium, backups kept 90 days');
    expect(out).toContain('hsm-aaaaaaaaaaa  eu-west-1a  subnet-0a1  10.0.1.10  ACTIVE');
    expect(out).toContain('CSR available: yes');
    expect(out).toContain(`Next: npx tsx tools/cloudhsm-runbook.ts csr --cluster-id ${CLUSTER_ID} --out ${CLUSTER_ID}_ClusterCsr.csr --region eu-west-2`);
  });

  test('a cluster still being created has no CSR yet', async () => {
    describes(cluster('CREATE_IN_PROGRESS', { Hsms: [] }));
    const { out } = await run(['status', '--cluster-id', CLUSTER_ID]);
    expect(out).toContain('HSMs: none yet');
    expect(out).toContain('CSR available: no');
    expect(out).toContain('Next: wait');
  });

  test('an initialized cluster points to next-steps', async () => {
    describes(cluster('INITIALIZED'));
    expect((await run(['status', '--cluster-id', CLUSTER_ID])).out).toContain(`next-steps --cluster-id ${CLUSTER_ID} --key-store-name <name>`);
  });

  test('a cluster that does not exist fails with exit 1', async () => {
    hsmMock.on(DescribeClustersCommand).resolves({ Clusters: [] });
    const { code, err } = await run(['status', '--cluster-id', CLUSTER_ID]);
    expect(code).toBe(1);
    expect(err).toContain(`cluster ${CLUSTER_ID} not found in the default Region`);
  });
});

describe('csr', () => {
  test('writes the CSR and prints the openssl commands that sign it, filled in', async () => {
    describes(cluster('UNINITIALIZED', { Certificates: { ClusterCsr: CSR } }));
    const { code, out, files } = await run(['csr', '--cluster-id', CLUSTER_ID, '--out', 'cluster.csr', '--ca-cert', 'root.crt', '--ca-key', 'root.key']);
    expect(code).toBe(0);
    expect(files['cluster.csr']).toBe(CSR);
    expect(out).toContain(`openssl x509 -req -days 3652 -in cluster.csr -CA root.crt -CAkey root.key -CAcreateserial -out ${CLUSTER_ID}_CustomerHsmCertificate.crt`);
    expect(out).toContain(`openssl verify -CAfile root.crt ${CLUSTER_ID}_CustomerHsmCertificate.crt`);
    expect(out).toContain(`initialize --cluster-id ${CLUSTER_ID} --cert ${CLUSTER_ID}_CustomerHsmCertificate.crt --trust-anchor root.crt`);
  });

  test('quotes a path with spaces in the printed commands', async () => {
    describes(cluster('UNINITIALIZED', { Certificates: { ClusterCsr: CSR } }));
    expect((await run(['csr', '--cluster-id', CLUSTER_ID, '--out', 'my cluster.csr'])).out).toContain("-in 'my cluster.csr'");
  });

  test.each(['INITIALIZED', 'ACTIVE', 'CREATE_IN_PROGRESS'])('refuses a cluster that is %s and writes nothing', async (state) => {
    describes(cluster(state, { Certificates: { ClusterCsr: CSR } }));
    const { code, err, files } = await run(['csr', '--cluster-id', CLUSTER_ID, '--out', 'cluster.csr']);
    expect(code).toBe(1);
    expect(err).toContain(`is ${state}: a CSR exists only while the cluster is UNINITIALIZED`);
    expect(files).toEqual({});
  });

  test('says to wait when the first HSM has not produced a CSR yet', async () => {
    describes(cluster('UNINITIALIZED', { Hsms: [] }));
    const { code, err } = await run(['csr', '--cluster-id', CLUSTER_ID, '--out', 'cluster.csr']);
    expect(code).toBe(1);
    expect(err).toContain('has no CSR yet: it appears once the first HSM is ACTIVE');
  });
});

describe('initialize', () => {
  const argv = ['initialize', '--cluster-id', CLUSTER_ID, '--cert', 'signed.crt', '--trust-anchor', 'ca.crt'];
  const initializeCalls = () => hsmMock.commandCalls(InitializeClusterCommand);

  test('initializes an uninitialized cluster with the signed certificate and the trust anchor', async () => {
    describes(cluster('UNINITIALIZED', { Certificates: { ClusterCsr: CSR } }));
    hsmMock.on(InitializeClusterCommand).resolves({ State: 'INITIALIZE_IN_PROGRESS', StateMessage: 'Cluster is initializing.' });
    const { code, out } = await run(argv, { files: { 'signed.crt': SIGNED, 'ca.crt': CA } });
    expect(code).toBe(0);
    expect(initializeCalls().map((c) => c.args[0].input)).toEqual([{ ClusterId: CLUSTER_ID, SignedCert: SIGNED, TrustAnchor: CA }]);
    expect(out).toContain(`InitializeCluster accepted for ${CLUSTER_ID}: INITIALIZE_IN_PROGRESS (Cluster is initializing.)`);
    expect(out).toContain(`next-steps --cluster-id ${CLUSTER_ID} --key-store-name <name> --trust-anchor ca.crt`);
  });

  test.each([
    ['a certificate signed by another CA', { 'signed.crt': SIGNED, 'ca.crt': OTHER_CA }, '--cert was not signed by --trust-anchor (its issuer is "CN=Test Issuing CA")'],
    ['the same certificate twice', { 'signed.crt': SIGNED, 'ca.crt': SIGNED }, '--cert and --trust-anchor are the same certificate'],
    ['a trust anchor that is not self-signed', { 'signed.crt': CA, 'ca.crt': SIGNED }, '--trust-anchor must be a self-signed root CA certificate'],
    ['a private key', { 'signed.crt': '-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n', 'ca.crt': CA }, '--cert contains a private key'],
    ['the CSR instead of the signed certificate', { 'signed.crt': CSR, 'ca.crt': CA }, '--cert is a certificate signing request, not a signed certificate'],
    ['a file that is not PEM', { 'signed.crt': 'hello', 'ca.crt': CA }, '--cert is not a PEM certificate'],
    ['two certificates in one file', { 'signed.crt': SIGNED, 'ca.crt': CA + OTHER_CA }, '--trust-anchor holds 2 certificates; InitializeCluster takes exactly one'],
    ['a broken certificate', { 'signed.crt': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 'ca.crt': CA }, '--cert is not a valid X.509 certificate'],
    ['a missing file', { 'ca.crt': CA }, '--cert: cannot read signed.crt: ENOENT'],
  ])('refuses %s before calling CloudHSM', async (_, files, message) => {
    describes(cluster('UNINITIALIZED'));
    const { code, err } = await run(argv, { files });
    expect(code).toBe(1);
    expect(err).toContain(message);
    expect(hsmMock.calls()).toHaveLength(0);
  });

  test('refuses an expired certificate', async () => {
    const { code, err } = await run(argv, { files: { 'signed.crt': SIGNED, 'ca.crt': CA }, now: new Date('2200-01-01T00:00:00Z') });
    expect(code).toBe(1);
    expect(err).toContain('--trust-anchor is not valid now');
    expect(hsmMock.calls()).toHaveLength(0);
  });

  test('refuses a cluster that is not UNINITIALIZED', async () => {
    describes(cluster('ACTIVE'));
    const { code, err } = await run(argv, { files: { 'signed.crt': SIGNED, 'ca.crt': CA } });
    expect(code).toBe(1);
    expect(err).toContain(`cluster ${CLUSTER_ID} is ACTIVE; only an UNINITIALIZED cluster can be initialized`);
    expect(initializeCalls()).toHaveLength(0);
  });
});

describe('next-steps', () => {
  const argv = ['next-steps', '--cluster-id', CLUSTER_ID, '--key-store-name', 'sra prod store', '--region', 'eu-west-1'];

  test('prints activation, kmsuser, the KMS commands and the config change, filled in', async () => {
    describes(cluster('INITIALIZED'));
    const { code, out } = await run(argv);
    expect(code).toBe(0);
    expect(out).toContain("(vpc-0123456789abcdef0) with the app tier's security group: the stack opens ports 2223-2225 from it to the cluster's\n   security group sg-0123456789abcdef0");
    expect(out).toContain('sudo /opt/cloudhsm/bin/configure-cli -a 10.0.1.10');
    expect(out).toContain('aws-cloudhsm > cluster activate');
    expect(out).toContain('aws-cloudhsm > user create --username kmsuser --role crypto-user');
    expect(out).toContain(
      `aws kms create-custom-key-store --region eu-west-1 --custom-key-store-name 'sra prod store' --cloud-hsm-cluster-id ${CLUSTER_ID} \\\n` +
        '       --trust-anchor-certificate file://customerCA.crt --key-store-password "$KMSUSER_PASSWORD"',
    );
    expect(out).toContain('aws kms connect-custom-key-store --region eu-west-1 --custom-key-store-id "$KEY_STORE_ID"');
    expect(out).toContain('aws kms create-key --region eu-west-1 --origin AWS_CLOUDHSM --custom-key-store-id "$KEY_STORE_ID"');
    expect(out).toMatch(/keys:\n\s+hsmBackedKeyArns:\n\s+data: arn:aws:kms:eu-west-1:<account>:key\//);
    expect(out).not.toContain('Not yet possible');
  });

  test('the printed config change is what the config schema accepts, once the placeholders are filled in', async () => {
    describes(cluster('ACTIVE'));
    const { out } = await run(argv);
    const lines = out.split('\n');
    const start = lines.findIndex((l) => l.trim() === 'keys:');
    const snippet = lines.slice(start, start + 3).join('\n');
    const arn = 'arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const filled = snippet.replace('<account>', '111111111111').replace('<key id printed by step 5>', '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
    const withKeys = (yamlKeys: { keys: Record<string, unknown> }) => {
      const raw = exampleConfig('dev') as { keys: Record<string, unknown> };
      raw.keys = { ...raw.keys, ...yamlKeys.keys };
      return validateConfig(raw, 'dev (runbook)');
    };
    expect(withKeys(parse(dedent(filled))).keys.hsmBackedKeyArns).toEqual({ data: arn });
    // Unfilled, the loader names the field instead of taking a placeholder.
    expect(() => withKeys(parse(dedent(snippet)))).toThrow(/keys\.hsmBackedKeyArns\.data: must be a KMS key ARN/);
  });

  test('an active cluster is already activated', async () => {
    describes(cluster('ACTIVE'));
    const { out } = await run(argv);
    expect(out).toContain('2. Activate the cluster: done, the cluster is ACTIVE.');
    expect(out).not.toContain('cluster activate');
  });

  test('warns when KMS cannot use the cluster yet: fewer than two zones with an ACTIVE HSM', async () => {
    describes(cluster('ACTIVE', { Hsms: [hsm('hsm-aaaaaaaaaaa', 'eu-west-1a', 'ACTIVE', '10.0.1.10'), hsm('hsm-bbbbbbbbbbb', 'eu-west-1b', 'CREATE_IN_PROGRESS')] }));
    expect((await run(argv)).out).toContain('Not yet possible: KMS needs ACTIVE HSMs in two zones; this cluster has them in 1 (eu-west-1a)');
  });

  test.each(['UNINITIALIZED', 'INITIALIZE_IN_PROGRESS'])('refuses a cluster that is %s', async (state) => {
    describes(cluster(state));
    const { code, err } = await run(argv);
    expect(code).toBe(1);
    expect(err).toContain(`is ${state}; these steps start once it is INITIALIZED`);
  });
});
