import {
  CreateTrafficMirrorSessionCommand,
  DeleteTrafficMirrorSessionCommand,
  DescribeNetworkInterfacesCommand,
  DescribeTrafficMirrorFiltersCommand,
  DescribeTrafficMirrorSessionsCommand,
  DescribeTrafficMirrorTargetsCommand,
  type EC2Client,
  type TrafficMirrorSession,
} from '@aws-sdk/client-ec2';

/** An EC2 service error as the SDK raises it (name = the API's error code). */
function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client' });
}

/**
 * moto_server serves instances, network interfaces, mirror targets and
 * filters, but not mirror sessions. This client sends everything to moto
 * except the three session calls, which it answers from its own state while
 * checking against moto what EC2 checks: the interface, target and filter
 * exist, session numbers are unique per source, at most 3 sessions per
 * source, and a repeated client token returns the first session.
 */
export class MirrorSessionsOverMoto {
  readonly sessions = new Map<string, TrafficMirrorSession>();
  private readonly tokens = new Map<string, string>();
  private next = 1;

  constructor(private readonly moto: EC2Client) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- dispatches on the command class, like the SDK's own send
  async send(command: any): Promise<any> {
    if (command instanceof CreateTrafficMirrorSessionCommand) return this.create(command.input);
    if (command instanceof DescribeTrafficMirrorSessionsCommand) return this.describe(command.input);
    if (command instanceof DeleteTrafficMirrorSessionCommand) return this.delete(command.input.TrafficMirrorSessionId!);
    return this.moto.send(command);
  }

  private async create(input: CreateTrafficMirrorSessionCommand['input']) {
    if (input.ClientToken && this.tokens.has(input.ClientToken)) return { TrafficMirrorSession: this.sessions.get(this.tokens.get(input.ClientToken)!) };
    const eni = input.NetworkInterfaceId!;
    try {
      await this.moto.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] }));
    } catch {
      throw awsError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${eni}' does not exist`);
    }
    const targets = await this.moto.send(new DescribeTrafficMirrorTargetsCommand({ TrafficMirrorTargetIds: [input.TrafficMirrorTargetId!] }));
    if (!targets.TrafficMirrorTargets?.some((t) => t.TrafficMirrorTargetId === input.TrafficMirrorTargetId)) {
      throw awsError('InvalidTrafficMirrorTargetId.NotFound', `The traffic mirror target '${input.TrafficMirrorTargetId}' does not exist`);
    }
    const filters = await this.moto.send(new DescribeTrafficMirrorFiltersCommand({ TrafficMirrorFilterIds: [input.TrafficMirrorFilterId!] }));
    if (!filters.TrafficMirrorFilters?.some((f) => f.TrafficMirrorFilterId === input.TrafficMirrorFilterId)) {
      throw awsError('InvalidTrafficMirrorFilterId.NotFound', `The traffic mirror filter '${input.TrafficMirrorFilterId}' does not exist`);
    }
    const onSource = [...this.sessions.values()].filter((s) => s.NetworkInterfaceId === eni);
    if (onSource.length >= 3) throw awsError('TrafficMirrorSessionLimitExceeded', 'at most 3 sessions per source network interface');
    if (onSource.some((s) => s.SessionNumber === input.SessionNumber)) {
      throw awsError('InvalidParameterValue', `session number ${input.SessionNumber} is already in use on ${eni}`);
    }
    const id = `tms-${String(this.next++).padStart(17, '0')}`;
    const session: TrafficMirrorSession = {
      TrafficMirrorSessionId: id,
      NetworkInterfaceId: eni,
      TrafficMirrorTargetId: input.TrafficMirrorTargetId,
      TrafficMirrorFilterId: input.TrafficMirrorFilterId,
      SessionNumber: input.SessionNumber,
      VirtualNetworkId: input.VirtualNetworkId,
      Description: input.Description,
      Tags: input.TagSpecifications?.flatMap((t) => t.Tags ?? []) ?? [],
    };
    this.sessions.set(id, session);
    if (input.ClientToken) this.tokens.set(input.ClientToken, id);
    return { TrafficMirrorSession: session, ClientToken: input.ClientToken };
  }

  private describe(input: DescribeTrafficMirrorSessionsCommand['input']) {
    const matches = (s: TrafficMirrorSession) =>
      (input.Filters ?? []).every((f) => {
        if (f.Name === 'network-interface-id') return f.Values!.includes(s.NetworkInterfaceId!);
        if (f.Name?.startsWith('tag:')) return s.Tags!.some((t) => t.Key === f.Name!.slice(4) && f.Values!.includes(t.Value!));
        throw awsError('InvalidParameterValue', `filter ${f.Name} is not supported by this fake`);
      });
    return { TrafficMirrorSessions: [...this.sessions.values()].filter(matches) };
  }

  private delete(id: string) {
    if (!this.sessions.delete(id)) throw awsError('InvalidTrafficMirrorSessionId.NotFound', `The traffic mirror session '${id}' does not exist`);
    return { TrafficMirrorSessionId: id };
  }
}
