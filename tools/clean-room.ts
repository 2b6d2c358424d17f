/**
 * `npm run clean-room -- <case-id> [--region <region>] [--workstation <instance-id>]`: makes volumes from
 * a case's EBS snapshots in the forensic workstation's zone, encrypted with the clean room's key and tagged
 * with the case, attaches them, and prints how to open a session and mount them read-only.
 * Exit codes: 0 done, 1 the step failed, 2 the command line was wrong.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { CASE_TAG } from '../src/constructs/response/clean-room-operator';
import { WORKSTATION_TAG } from '../src/constructs/response/clean-room-workstation';
import { attachCaseVolumes, CleanRoomError } from './clean-room/attach';

export interface CleanRoomIo {
  /** Builds the EC2 client for --region (undefined: the SDK's default chain). */
  ec2For(region: string | undefined): EC2Client;
  print(line: string): void;
  printError(line: string): void;
  pause(ms: number): Promise<void>;
}

const USAGE = 'usage: npm run clean-room -- <case-id> [--region <region>] [--workstation <instance-id>]';

interface Args {
  caseId: string;
  region?: string;
  workstationId?: string;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Args {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--region' || arg === '--workstation') {
      const value = argv[++i];
      if (!value || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      flags[arg.slice(2)] = value;
    } else if (arg.startsWith('--')) {
      throw new UsageError(`unknown option ${arg}; allowed: --region, --workstation`);
    } else positional.push(arg);
  }
  if (positional.length !== 1) throw new UsageError(positional.length ? `one case id, got ${positional.length}` : 'the case id is required');
  if (flags.workstation && !/^i-[0-9a-f]{8,17}$/.test(flags.workstation)) throw new UsageError(`--workstation must be an instance id like i-0123456789abcdef0`);
  return { caseId: positional[0]!, region: flags.region, workstationId: flags.workstation };
}

export async function cleanRoom(argv: string[], io: CleanRoomIo): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    io.printError(`error: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    const ec2 = io.ec2For(args.region);
    const result = await attachCaseVolumes(ec2, {
      caseId: args.caseId,
      workstationId: args.workstationId,
      caseTag: CASE_TAG,
      workstationTag: WORKSTATION_TAG,
      pause: io.pause,
    });
    io.print(`Case ${args.caseId}: ${result.volumes.length} volume(s) on workstation ${result.workstationId} (${result.zone})`);
    for (const v of result.volumes) io.print(`  ${v.device}  ${v.volumeId}  from ${v.snapshotId}${v.created ? '' : '  (already there)'}`);
    const region = args.region ? ` --region ${args.region}` : '';
    io.print('');
    io.print('Open a session (every block device attached after boot is read-only in the kernel):');
    io.print(`  aws ssm start-session --target ${result.workstationId}${region}`);
    io.print('Then find the devices (Nitro names them /dev/nvmeXn1) and mount each without journal replay:');
    io.print(`  lsblk -o NAME,SERIAL,SIZE,RO    # SERIAL is the volume id without the dash`);
    io.print(`  sudo mount-evidence /dev/nvme1n1p1 ${args.caseId}`);
    return 0;
  } catch (error) {
    const known = error instanceof CleanRoomError;
    const name = (error as { name?: string }).name;
    io.printError(`error: ${known ? '' : `${name ?? 'AWS'}: `}${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  const io: CleanRoomIo = {
    ec2For: (region) => new EC2Client(region ? { region } : {}),
    print: (line) => console.log(line),
    printError: (line) => console.error(line),
    pause: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  void cleanRoom(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
