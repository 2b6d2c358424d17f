/**
 * Where the resources a config names must live, relative to each environment.
 * AWS refuses the others only at deploy time, or worse, at first use.
 */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
}

export function parseArn(text: string): Arn | undefined {
  const match = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:/.exec(text);
  if (!match) return undefined;
  return { partition: match[1]!, service: match[2]!, region: match[3]!, account: match[4] ?? '' };
}

/** The partition of a region: aws-cn for China, aws-us-gov for GovCloud, aws-iso* for the isolated regions. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  return 'aws';
}

/** Where an ARN field must be, relative to the environment deploying it. */
export interface Placement {
  readonly path: readonly (string | number)[];
  readonly what: string;
  readonly sameRegion: boolean;
  readonly sameAccount: boolean;
  /** Why, for the message. */
  readonly because: string;
}

export interface Environment {
  readonly name: string;
  readonly account: string;
  readonly region: string;
}

/** What is wrong with one ARN for one environment, as one line: partition always, then region and account as the placement needs. */
export function placementProblem(arnText: string, placement: Placement, env: Environment): string | undefined {
  const arn = parseArn(arnText);
  if (!arn) return undefined;
  const partition = partitionOf(env.region);
  if (arn.partition !== partition) {
    return `${placement.what} is in partition ${arn.partition}, but environment "${env.name}" (${env.region}) is in ${partition}; ARNs cannot cross partitions`;
  }
  const wrong: string[] = [];
  if (placement.sameRegion && arn.region !== env.region) wrong.push(`region ${arn.region}`);
  if (placement.sameAccount && arn.account !== env.account) wrong.push(`account ${arn.account}`);
  if (wrong.length === 0) return undefined;
  const want = [placement.sameRegion ? env.region : '', placement.sameAccount ? `account ${env.account}` : ''].filter(Boolean).join(', ');
  return `${placement.what} is in ${wrong.join(' and ')}, but environment "${env.name}" deploys to ${want}; ${placement.because}`;
}
