/**
 * Profiles change availability and cost, never security: encryption, IMDSv2,
 * WAF, logging and least privilege are identical in both. Every value here is
 * a default that the config may override where the schema allows it.
 */
export type ProfileName = 'development' | 'production';
export type NatStrategy = 'none' | 'single' | 'perAz';

export interface Profile {
  /** Availability Zones the VPC spans when the config gives no zones. */
  readonly availabilityZones: number;
  /** The fewest zones this profile accepts. */
  readonly minimumAvailabilityZones: number;
  /** NAT gateways: one shared (cheap) or one per zone (no cross-zone dependency). */
  readonly natGateways: NatStrategy;
  /** Deletion protection on load balancers and databases. */
  readonly deletionProtection: boolean;
  /** Days of automated database backups. */
  readonly backupRetentionDays: number;
}

export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  development: {
    availabilityZones: 2,
    minimumAvailabilityZones: 2,
    natGateways: 'single',
    deletionProtection: false,
    backupRetentionDays: 7,
  },
  production: {
    availabilityZones: 3,
    minimumAvailabilityZones: 3,
    natGateways: 'perAz',
    deletionProtection: true,
    backupRetentionDays: 35,
  },
};

export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];
