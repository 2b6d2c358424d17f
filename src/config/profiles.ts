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
  /** Aurora: Serverless v2 that can pause at 0 ACU (idle cost near zero), or provisioned writer and readers. */
  readonly database:
    | { readonly kind: 'serverless'; readonly minCapacity: number; readonly maxCapacity: number }
    | { readonly kind: 'provisioned'; readonly instanceClass: string; readonly readers: number };
  /** AWS Backup retention of daily, weekly and monthly recovery points, in days. */
  readonly backupPlan: { readonly daily: number; readonly weekly: number; readonly monthly: number };
  /** Backup vault lock: governance (removable by administrators) or compliance (immutable after 3 days). */
  readonly vaultLock: 'governance' | 'compliance';
  /** App fleet size. */
  readonly fleet: { readonly min: number; readonly max: number; readonly desired: number };
}

export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  development: {
    availabilityZones: 2,
    minimumAvailabilityZones: 2,
    natGateways: 'single',
    deletionProtection: false,
    backupRetentionDays: 7,
    database: { kind: 'serverless', minCapacity: 0, maxCapacity: 4 },
    backupPlan: { daily: 7, weekly: 35, monthly: 90 },
    vaultLock: 'governance',
    fleet: { min: 1, max: 2, desired: 1 },
  },
  production: {
    availabilityZones: 3,
    minimumAvailabilityZones: 3,
    natGateways: 'perAz',
    deletionProtection: true,
    backupRetentionDays: 35,
    database: { kind: 'provisioned', instanceClass: 'r7g.large', readers: 1 },
    backupPlan: { daily: 35, weekly: 90, monthly: 365 },
    vaultLock: 'compliance',
    fleet: { min: 3, max: 9, desired: 3 },
  },
};

export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];
