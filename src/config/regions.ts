/**
 * Commercial regions this project deploys to, with the zone-letter suffixes most
 * accounts see. Zone letters differ between accounts in a few regions, so
 * `network.availabilityZones` may list names explicitly; these defaults only
 * serve when a count is given. Synth never looks zones up (no credentials).
 */
export const REGION_ZONE_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  'us-east-1': ['a', 'b', 'c', 'd', 'e', 'f'],
  'us-east-2': ['a', 'b', 'c'],
  'us-west-1': ['b', 'c'],
  'us-west-2': ['a', 'b', 'c', 'd'],
  'ca-central-1': ['a', 'b', 'd'],
  'ca-west-1': ['a', 'b', 'c'],
  'eu-west-1': ['a', 'b', 'c'],
  'eu-west-2': ['a', 'b', 'c'],
  'eu-west-3': ['a', 'b', 'c'],
  'eu-central-1': ['a', 'b', 'c'],
  'eu-central-2': ['a', 'b', 'c'],
  'eu-north-1': ['a', 'b', 'c'],
  'eu-south-1': ['a', 'b', 'c'],
  'eu-south-2': ['a', 'b', 'c'],
  'ap-northeast-1': ['a', 'c', 'd'],
  'ap-northeast-2': ['a', 'b', 'c', 'd'],
  'ap-northeast-3': ['a', 'b', 'c'],
  'ap-southeast-1': ['a', 'b', 'c'],
  'ap-southeast-2': ['a', 'b', 'c'],
  'ap-southeast-3': ['a', 'b', 'c'],
  'ap-southeast-4': ['a', 'b', 'c'],
  'ap-south-1': ['a', 'b', 'c'],
  'ap-south-2': ['a', 'b', 'c'],
  'ap-east-1': ['a', 'b', 'c'],
  'sa-east-1': ['a', 'b', 'c'],
  'me-south-1': ['a', 'b', 'c'],
  'me-central-1': ['a', 'b', 'c'],
  'il-central-1': ['a', 'b', 'c'],
  'af-south-1': ['a', 'b', 'c'],
};

export const KNOWN_REGIONS: readonly string[] = Object.keys(REGION_ZONE_SUFFIXES);

/** Zone names for `count` zones of `region`, in the order they are listed above. */
export function defaultZones(region: string, count: number): string[] {
  const suffixes = REGION_ZONE_SUFFIXES[region] ?? [];
  return suffixes.slice(0, count).map((suffix) => `${region}${suffix}`);
}
