import {
  CreateSnapshotCommand,
  CreateSubnetCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  EC2Client,
  RunInstancesCommand,
  type Tag,
} from '@aws-sdk/client-ec2';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CASE_TAG } from '../../src/constructs/response/clean-room-operator';
import { WORKSTATION_TAG } from '../../src/constructs/response/clean-room-workstation';
import { cleanRoom, type CleanRoomIo } from '../../tools/clean-room';
import { resetMoto } from '../helpers/moto';

const REGION = 'eu-west-1';

interface Run {
  code: number;
  out: string[];
  err: string[];
}

describe('npm run clean-room against moto', () => {
  let ec2: EC2Client;
  let workstationId: string;
  let workstationKey: string;
  const snapshots: Record<string, string> = {};

  const run = async (...argv: string[]): Promise<Run> => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CleanRoomIo = { ec2For: () => ec2, print: (l) => out.push(l), printError: (l) => err.push(l), pause: async () => undefined };
    return { code: await cleanRoom(argv, io), out, err };
  };
  const tag = (tags: Tag[] | undefined, key: string) => tags?.find((t) => t.Key === key)?.Value;

  beforeAll(async () => {
    const server = await resetMoto();
    ec2 = new EC2Client(server.clientConfig(REGION));
    const kms = new KMSClient(server.clientConfig(REGION));
    workstationKey = (await kms.send(new CreateKeyCommand({ Description: 'clean room' }))).KeyMetadata!.Arn!;

    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.255.0.0/24' }))).Vpc!.VpcId!;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.255.0.0/25', AvailabilityZone: `${REGION}a` }))).Subnet!.SubnetId!;
    const image = (await ec2.send(new DescribeImagesCommand({}))).Images![0]!;
    const launched = await ec2.send(
      new RunInstancesCommand({
        ImageId: image.ImageId!,
        MinCount: 1,
        MaxCount: 1,
        SubnetId: subnet,
        BlockDeviceMappings: [{ DeviceName: image.RootDeviceName ?? '/dev/xvda', Ebs: { VolumeSize: 30, Encrypted: true, KmsKeyId: workstationKey } }],
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: WORKSTATION_TAG.key, Value: WORKSTATION_TAG.value }] }],
      }),
    );
    workstationId = launched.Instances![0]!.InstanceId!;

    // Evidence of two volumes of case-1 in another zone, and one snapshot of another case.
    const snapshotOf = async (name: string, caseId: string) => {
      const volume = (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${REGION}b`, Size: 8, Encrypted: true }))).VolumeId!;
      snapshots[name] = (
        await ec2.send(new CreateSnapshotCommand({ VolumeId: volume, TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: CASE_TAG, Value: caseId }] }] }))
      ).SnapshotId!;
    };
    await snapshotOf('root', 'case-1');
    await snapshotOf('data', 'case-1');
    await snapshotOf('other', 'case-2');
  });

  test('makes an encrypted volume from each snapshot of the case, in the workstation zone, tagged, and attaches it', async () => {
    const result = await run('case-1', '--region', REGION);
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);

    const volumes = (await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: `tag:${CASE_TAG}`, Values: ['case-1'] }] }))).Volumes!;
    expect(volumes.map((v) => v.SnapshotId).sort()).toEqual([snapshots.root, snapshots.data].sort());
    for (const v of volumes) {
      expect(v.AvailabilityZone).toBe(`${REGION}a`);
      expect(v.Encrypted).toBe(true);
      expect(v.KmsKeyId).toBe(workstationKey);
      expect(tag(v.Tags, 'sra:source-snapshot')).toBe(v.SnapshotId);
      expect(v.Attachments?.map((a) => a.InstanceId)).toEqual([workstationId]);
    }
    const devices = volumes.map((v) => v.Attachments![0]!.Device).sort();
    expect(devices).toEqual(['/dev/sdf', '/dev/sdg']);

    // The other case's snapshot is left alone.
    const other = (await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'snapshot-id', Values: [snapshots.other!] }] }))).Volumes!;
    expect(other).toEqual([]);

    expect(result.out.join('\n')).toContain(`aws ssm start-session --target ${workstationId} --region ${REGION}`);
    expect(result.out.join('\n')).toContain('sudo mount-evidence');
  });

  test('a second run creates and attaches nothing new', async () => {
    const result = await run('case-1');
    expect(result.code).toBe(0);
    expect(result.out.filter((l) => l.includes('(already there)'))).toHaveLength(2);
    const volumes = (await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: `tag:${CASE_TAG}`, Values: ['case-1'] }] }))).Volumes!;
    expect(volumes).toHaveLength(2);
    const instance = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [workstationId] }))).Reservations![0]!.Instances![0]!;
    expect(instance.BlockDeviceMappings).toHaveLength(3);
  });

  test.each([
    ['a case without snapshots', ['case-404'], 1, /no completed snapshot of this account is tagged sra:case=case-404/],
    ['an unknown workstation', ['case-2', '--workstation', 'i-0123456789abcdef0'], 1, /^error: /],
    ['no case id', [], 2, /the case id is required/],
    ['a malformed case id', ['case 1'], 1, /case id "case 1": use 1-128 letters/],
    ['an unknown option', ['case-1', '--force'], 2, /unknown option --force; allowed: --region, --workstation/],
    ['a malformed instance id', ['case-1', '--workstation', 'web-1'], 2, /--workstation must be an instance id/],
  ] as const)('%s is refused in one line, without a stack trace', async (_what, argv, code, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(code);
    expect(result.err[0]).toMatch(message);
    expect(result.err.join('\n')).not.toMatch(/\n\s+at /);
  });
});
