/**
 * AWS tag rules, for the config's `tags`: what every service accepts, and
 * room for the tags this project sets itself.
 */

/** Letters, digits and whitespace in any script, and _ . : / = + - @ (the set every tagging API accepts). */
export const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const MAX_TAG_KEY = 128;
export const MAX_TAG_VALUE = 256;
/** Tags one resource may carry. */
export const MAX_TAGS_PER_RESOURCE = 50;

/**
 * Tags the stacks set, which a config tag may not replace (compared without
 * case: IAM condition keys such as aws:ResourceTag/Fleet ignore it).
 * Application, Environment: every resource (workload-stage.ts).
 * DataClassification: data resources (classification.ts), which backups select on.
 * Fleet: the app instances; Systems Manager targets and IAM conditions select on it (app-fleet.ts).
 * Name: the VPC and subnets (the CDK).
 */
export const RESERVED_TAG_KEYS = ['Application', 'Environment', 'DataClassification', 'Fleet', 'Name'] as const;

/**
 * Owner is ours on data resources (data.owner, applied with a higher priority,
 * so a config Owner never replaces it there) and the config's elsewhere; only
 * that exact spelling is accepted, so no resource carries two owner tags.
 */
export const OWNER_TAG = 'Owner';

/**
 * The most tags the stacks themselves put on one resource: a subnet carries
 * Application, Environment, Name, aws-cdk:subnet-name and aws-cdk:subnet-type;
 * a data resource Application, Environment, DataClassification and Owner; a
 * launch template those and Fleet. Checked against the templates by
 * test/config/limits-in-templates.test.ts.
 */
export const OUR_TAGS_PER_RESOURCE = 6;

/** Tags a config may add: the rest of the 50 (Owner counts once, whether ours or the config's). */
export const MAX_CONFIG_TAGS = MAX_TAGS_PER_RESOURCE - OUR_TAGS_PER_RESOURCE;

const length = (text: string) => [...text].length;

/** Problems with one tag key, or undefined. */
export function tagKeyProblem(key: string): string | undefined {
  if (length(key) < 1 || length(key) > MAX_TAG_KEY) return `tag keys are 1-${MAX_TAG_KEY} characters (got ${length(key)})`;
  if (/^aws:/i.test(key)) return 'tag keys starting with "aws:" are reserved for AWS';
  if (/^aws-cdk:/i.test(key)) return 'tag keys starting with "aws-cdk:" are reserved for the CDK';
  if (!TAG_CHARACTERS.test(key)) return 'tag keys may hold only letters, digits, spaces and _ . : / = + - @';
  const reserved = RESERVED_TAG_KEYS.find((r) => r.toLowerCase() === key.toLowerCase());
  if (reserved) return `"${reserved}" is set by the stacks on their resources; a config tag may not replace it (in any letter case)`;
  if (key.toLowerCase() === OWNER_TAG.toLowerCase() && key !== OWNER_TAG) return `spell it "${OWNER_TAG}": data resources already carry "${OWNER_TAG}" (data.owner), and tag keys differing only in case are two tags`;
  return undefined;
}

/** Problems with one tag value, or undefined. */
export function tagValueProblem(value: string): string | undefined {
  if (length(value) > MAX_TAG_VALUE) return `tag values are at most ${MAX_TAG_VALUE} characters (got ${length(value)})`;
  if (!TAG_CHARACTERS.test(value)) return 'tag values may hold only letters, digits, spaces and _ . : / = + - @';
  return undefined;
}
