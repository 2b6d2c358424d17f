import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  type EC2Client,
  type Instance,
  type Snapshot,
  type Volume,
} from '@aws-sdk/client-ec2';

export interface CleanRoomTags {
  /** Tag whose value is the case id, on the case's snapshots and on the volumes made from them. */
  readonly caseTag: string;
  /** Tag (key and value) that marks the forensic workstation. */
  readonly workstationTag: { readonly key: string; readonly value: string };
}

export interface AttachOptions extends CleanRoomTags {
  readonly caseId: string;
  /** A workstation instance id; found by its tag when absent. */
  readonly workstationId?: string;
  /** Waits between volume-state checks; injected so tests need no real wait. */
  readonly pause: (ms: number) => Promise<void>;
  /** Checks before giving up on a volume becoming available. @default 60 (5 minutes at 5 s) */
  readonly maxChecks?: number;
}

export interface AttachedVolume {
  readonly snapshotId: string;
  readonly volumeId: string;
  readonly device: string;
  /** False when an earlier run had already created and attached it. */
  readonly created: boolean;
}

export interface AttachResult {
  readonly workstationId: string;
  readonly zone: string;
  readonly volumes: readonly AttachedVolume[];
}

/** A problem the operator can fix (wrong case id, no workstation); reported in one line, no stack trace. */
export class CleanRoomError extends Error {}

/** Device names the tool hands out; the root volume is /dev/xvda. */
const DEVICES = 'fghijklmnop'.split('').map((letter) => `/dev/sd${letter}`);
const CASE_ID = /^[\w.:-]{1,128}$/;

/**
 * Makes volumes from every snapshot of a case in the workstation's zone,
 * encrypted with the workstation's own key and tagged with the case and the
 * source snapshot, and attaches them. Idempotent: a snapshot that already has
 * a volume of this case is reused, and a volume already attached stays as it is.
 */
export async function attachCaseVolumes(ec2: EC2Client, options: AttachOptions): Promise<AttachResult> {
  if (!CASE_ID.test(options.caseId)) throw new CleanRoomError(`case id ${JSON.stringify(options.caseId)}: use 1-128 letters, digits, _ . : -`);
  const workstation = await findWorkstation(ec2, options);
  const zone = workstation.Placement?.AvailabilityZone;
  if (!workstation.InstanceId || !zone) throw new CleanRoomError('the workstation has no instance id or zone');
  const rootDevice = workstation.RootDeviceName;
  const rootVolumeId = workstation.BlockDeviceMappings?.find((m) => m.DeviceName === rootDevice)?.Ebs?.VolumeId;
  const key = rootVolumeId ? (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [rootVolumeId] }))).Volumes?.[0]?.KmsKeyId : undefined;
  if (!key) throw new CleanRoomError(`cannot find the KMS key of the workstation's root volume (${rootVolumeId ?? 'none'}); volumes are encrypted with it`);

  const snapshots = await caseSnapshots(ec2, options);
  if (!snapshots.length) throw new CleanRoomError(`no completed snapshot of this account is tagged ${options.caseTag}=${options.caseId}`);
  const existing = await caseVolumes(ec2, options);
  const used = new Set((workstation.BlockDeviceMappings ?? []).map((m) => m.DeviceName));
  const freeDevice = () => {
    const device = DEVICES.find((d) => !used.has(d));
    if (!device) throw new CleanRoomError(`the workstation has no free device name left (${DEVICES[0]}-${DEVICES[DEVICES.length - 1]})`);
    used.add(device);
    return device;
  };

  const volumes: AttachedVolume[] = [];
  for (const snapshot of snapshots) {
    const snapshotId = snapshot.SnapshotId!;
    const previous = existing.find((v) => v.SnapshotId === snapshotId && v.AvailabilityZone === zone);
    const attachment = previous?.Attachments?.find((a) => a.InstanceId === workstation.InstanceId);
    if (previous && attachment) {
      volumes.push({ snapshotId, volumeId: previous.VolumeId!, device: attachment.Device!, created: false });
      continue;
    }
    const volumeId = previous?.VolumeId ?? (await createVolume(ec2, options, snapshot, zone, key));
    await waitAvailable(ec2, volumeId, options);
    const device = freeDevice();
    await ec2.send(new AttachVolumeCommand({ InstanceId: workstation.InstanceId, VolumeId: volumeId, Device: device }));
    volumes.push({ snapshotId, volumeId, device, created: !previous });
  }
  return { workstationId: workstation.InstanceId, zone, volumes };
}

async function findWorkstation(ec2: EC2Client, options: AttachOptions): Promise<Instance> {
  const answer = await ec2.send(
    new DescribeInstancesCommand(
      options.workstationId
        ? { InstanceIds: [options.workstationId] }
        : { Filters: [{ Name: `tag:${options.workstationTag.key}`, Values: [options.workstationTag.value] }, { Name: 'instance-state-name', Values: ['running', 'stopped'] }] },
    ),
  );
  const instances = (answer.Reservations ?? []).flatMap((r) => r.Instances ?? []);
  if (instances.length === 0) {
    throw new CleanRoomError(
      options.workstationId
        ? `instance ${options.workstationId} not found`
        : `no workstation tagged ${options.workstationTag.key}=${options.workstationTag.value}: deploy the clean-room stack (response.cleanRoom.enabled: true) first`,
    );
  }
  if (instances.length > 1) throw new CleanRoomError(`${instances.length} workstations are tagged ${options.workstationTag.key}=${options.workstationTag.value}; name one with --workstation`);
  return instances[0]!;
}

async function caseSnapshots(ec2: EC2Client, options: AttachOptions): Promise<Snapshot[]> {
  const snapshots: Snapshot[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: `tag:${options.caseTag}`, Values: [options.caseId] }], NextToken }));
    snapshots.push(...(page.Snapshots ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  const pending = snapshots.filter((s) => s.State !== 'completed');
  if (pending.length) throw new CleanRoomError(`snapshots not completed yet: ${pending.map((s) => `${s.SnapshotId} (${s.State})`).join(', ')}; run again when they are`);
  return snapshots.sort((a, b) => (a.SnapshotId! < b.SnapshotId! ? -1 : 1));
}

async function caseVolumes(ec2: EC2Client, options: AttachOptions): Promise<Volume[]> {
  const answer = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: `tag:${options.caseTag}`, Values: [options.caseId] }] }));
  return answer.Volumes ?? [];
}

async function createVolume(ec2: EC2Client, options: AttachOptions, snapshot: Snapshot, zone: string, key: string): Promise<string> {
  const created = await ec2.send(
    new CreateVolumeCommand({
      AvailabilityZone: zone,
      SnapshotId: snapshot.SnapshotId,
      Encrypted: true,
      KmsKeyId: key,
      VolumeType: 'gp3',
      TagSpecifications: [
        {
          ResourceType: 'volume',
          Tags: [
            { Key: options.caseTag, Value: options.caseId },
            { Key: 'sra:source-snapshot', Value: snapshot.SnapshotId! },
            ...(snapshot.VolumeId ? [{ Key: 'sra:source-volume', Value: snapshot.VolumeId }] : []),
            { Key: 'Name', Value: `${options.caseId} ${snapshot.SnapshotId} (evidence, read only)` },
          ],
        },
      ],
    }),
  );
  if (!created.VolumeId) throw new CleanRoomError(`CreateVolume from ${snapshot.SnapshotId} returned no volume id`);
  return created.VolumeId;
}

async function waitAvailable(ec2: EC2Client, volumeId: string, options: AttachOptions): Promise<void> {
  const checks = options.maxChecks ?? 60;
  for (let i = 0; i < checks; i++) {
    const state = (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }))).Volumes?.[0]?.State;
    if (state === 'available') return;
    if (state === 'error') throw new CleanRoomError(`volume ${volumeId} failed to create (state error)`);
    await options.pause(5000);
  }
  throw new CleanRoomError(`volume ${volumeId} did not become available after ${checks} checks`);
}
