import { resolveDeployment, type DeploymentSettings } from './deployment';
import { DEFAULT_INTERFACE_ENDPOINTS } from './endpoints';
import { PROFILES, type NatStrategy, type Profile, type ProfileName } from './profiles';
import { defaultZones } from './regions';
import { existingResourcesFor, type ExistingResources } from './existing-resources';
import type { Config } from './schema';
import { planSubnets, type SubnetPlan } from './subnet-plan';

/** Database port per engine; the NACLs and security groups open exactly this port. */
export const ENGINE_PORTS = { 'aurora-postgresql': 5432, 'aurora-mysql': 3306 } as const;

/**
 * Everything one environment needs, with profile defaults applied and derived
 * values (zones, subnet layout) computed once. Constructs read only this.
 */
export interface EnvironmentSettings {
  readonly appName: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly mode: Config['mode'];
  readonly organizationId?: string;
  readonly profileName: ProfileName;
  readonly profile: Profile;
  readonly tags: Readonly<Record<string, string>>;
  readonly network: NetworkSettings;
  readonly application: Config['application'];
  readonly data: Config['data'] & { readonly port: number };
  readonly keys: Config['keys'];
  readonly detection: Config['detection'];
  readonly backup: Config['backup'];
  readonly existingResources: ExistingResources;
  readonly deployment: DeploymentSettings;
  readonly response: Config['response'];
  readonly analytics: Config['analytics'];
  readonly logArchive: Config['logArchive'];
}

export interface NetworkSettings {
  readonly cidr: string;
  readonly availabilityZones: readonly string[];
  readonly natGateways: NatStrategy;
  readonly subnets: SubnetPlan;
  readonly interfaceEndpoints: readonly string[];
  readonly ingressCidrs: readonly string[];
  readonly flowLogs: Config['network']['flowLogs'];
  readonly trafficMirroring: Config['network']['trafficMirroring'];
}

/** Resolves every environment of a validated config. */
export function resolveEnvironments(config: Config): EnvironmentSettings[] {
  return config.environments.map((env) => {
    const profileName = env.profile as ProfileName;
    const profile = PROFILES[profileName];
    const zonesSetting = config.network.availabilityZones;
    const availabilityZones = Array.isArray(zonesSetting)
      ? zonesSetting
      : defaultZones(env.region, zonesSetting ?? profile.availabilityZones);
    const cidr = env.cidr ?? config.network.cidr;
    const subnets = planSubnets(cidr, availabilityZones.length, config.network.subnetPrefixes);
    if (!subnets) throw new Error(`internal: subnet plan for ${cidr} was validated but does not fit`);
    return {
      appName: config.name,
      name: env.name,
      account: env.account,
      region: env.region,
      mode: config.mode,
      organizationId: config.organizationId,
      profileName,
      profile,
      tags: config.tags,
      network: {
        cidr,
        availabilityZones,
        natGateways: config.network.natGateways ?? profile.natGateways,
        subnets,
        interfaceEndpoints: config.network.interfaceEndpoints ?? DEFAULT_INTERFACE_ENDPOINTS,
        ingressCidrs: config.network.ingressCidrs,
        flowLogs: config.network.flowLogs,
        trafficMirroring: config.network.trafficMirroring,
      },
      application: config.application,
      data: { ...config.data, port: ENGINE_PORTS[config.data.engine] },
      keys: config.keys,
      detection: config.detection,
      backup: config.backup,
      existingResources: existingResourcesFor(config.existingResources, env.name),
      deployment: resolveDeployment(config.deployment, env.account, env.region),
      response: config.response,
      analytics: config.analytics,
      logArchive: config.logArchive,
    };
  });
}
