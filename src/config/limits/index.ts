import type { z } from 'zod';
import { PROFILES } from '../profiles';
import { REGION_ZONE_SUFFIXES } from '../regions';
import { placementProblem, type Placement } from './arns';
import { DEFAULT_NACL_RULES_PER_DIRECTION, maxIngressCidrs, naclOverBudget, RESERVED_DENY_ENTRIES } from './nacl-budget';
import { baseNameProblem, longestBaseName, tooLongNames } from './name-lengths';
import { MAX_CONFIG_TAGS, MAX_TAGS_PER_RESOURCE, OUR_TAGS_PER_RESOURCE, tagKeyProblem, tagValueProblem } from './tags';

export * from './arns';
export * from './countries';
export * from './instance-types';
export * from './nacl-budget';
export * from './name-lengths';
export * from './schedule';
export * from './tags';

/** The longest string any field may hold; longer ones would only bloat templates towards CloudFormation's 1 MB. */
export const MAX_STRING_LENGTH = 2048;

type Path = readonly (string | number)[];
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reads unvalidated input and guards each field itself
type Loose = Record<string, any>;

/**
 * Cross-field checks of what AWS would refuse: names too long for their
 * resource, tags, ARNs in the wrong place, network ACL quotas, duplicates,
 * and who receives alerts. Runs on unvalidated input, so it guards each field.
 */
export function checkAwsLimits(config: Loose, ctx: z.RefinementCtx): void {
  const report = (path: Path, message: string) => ctx.addIssue({ code: 'custom', path: [...path], message });
  checkStringSizes(config, [], report);
  checkTags(config, report);
  checkDuplicates(config, report);
  checkAlertConsumers(config, report);
  const environments = Array.isArray(config.environments) ? config.environments : [];
  environments.forEach((env: unknown, index: number) => {
    if (!isRecord(env) || !isString(env.name)) return;
    // Names, ARNs and quotas are measured against a valid account and a known region only; others are reported by the field schema.
    if (!isString(env.account) || !/^\d{12}$/.test(env.account) || !isString(env.region) || !Object.hasOwn(REGION_ZONE_SUFFIXES, env.region)) return;
    const environment = { name: env.name, account: env.account, region: env.region };
    checkNames(config, environment, index, report);
    checkArns(config, environment, report);
    checkNetworkAcls(config, env, report);
  });
}

function checkStringSizes(value: unknown, path: Path, report: (path: Path, message: string) => void): void {
  if (typeof value === 'string') {
    if (value.length > MAX_STRING_LENGTH) report(path, `${value.length} characters; a config value may be at most ${MAX_STRING_LENGTH}`);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => checkStringSizes(item, [...path, i], report));
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key.length > MAX_STRING_LENGTH) report(path, `a field name of ${key.length} characters; the longest allowed is ${MAX_STRING_LENGTH}`);
      else checkStringSizes(item, [...path, key], report);
    }
  }
}

function checkTags(config: Loose, report: (path: Path, message: string) => void): void {
  if (!isRecord(config.tags)) return;
  const entries = Object.entries(config.tags);
  for (const [key, value] of entries) {
    const keyProblem = tagKeyProblem(key);
    if (keyProblem) report(['tags', clip(key)], keyProblem);
    if (isString(value)) {
      const valueProblem = tagValueProblem(value);
      if (valueProblem) report(['tags', clip(key)], valueProblem);
    }
  }
  // Owner is one of ours on data resources; a config Owner takes the same slot.
  const counted = entries.filter(([key]) => key !== 'Owner').length;
  if (counted > MAX_CONFIG_TAGS) {
    report(['tags'], `${entries.length} tags; AWS allows ${MAX_TAGS_PER_RESOURCE} per resource and the stacks set up to ${OUR_TAGS_PER_RESOURCE} themselves, so at most ${MAX_CONFIG_TAGS} (plus Owner)`);
  }
}

/** Lists whose entries become one resource, rule or subscription each: a repeat is refused by name. */
const UNIQUE_LISTS: readonly { path: Path; what: string; ignoreCase?: boolean }[] = [
  { path: ['network', 'interfaceEndpoints'], what: 'endpoint' },
  { path: ['network', 'ingressCidrs'], what: 'CIDR' },
  { path: ['network', 'avoidCidrs'], what: 'CIDR' },
  { path: ['network', 'trafficMirroring', 'sourceNetworkInterfaceIds'], what: 'ENI' },
  { path: ['application', 'waf', 'blockCidrs'], what: 'CIDR' },
  { path: ['application', 'waf', 'allowCidrs'], what: 'CIDR' },
  { path: ['application', 'waf', 'blockCountries'], what: 'country' },
  { path: ['application', 'waf', 'allowCountries'], what: 'country' },
  { path: ['keys', 'administratorRoleArns'], what: 'role' },
  { path: ['detection', 'notificationEmails'], what: 'email address', ignoreCase: true },
  { path: ['detection', 'securityHubStandards'], what: 'standard' },
];

function checkDuplicates(config: Loose, report: (path: Path, message: string) => void): void {
  for (const list of UNIQUE_LISTS) {
    const value = list.path.reduce<unknown>((node, key) => (isRecord(node) ? node[key as string] : undefined), config);
    if (!Array.isArray(value)) continue;
    const seen = new Map<string, number>();
    value.forEach((item, i) => {
      if (!isString(item)) return;
      const key = list.ignoreCase ? item.toLowerCase() : item;
      const first = seen.get(key);
      if (first !== undefined) report([...list.path, i], `duplicate ${list.what} ${JSON.stringify(clip(item))} (also [${first}]); list each once`);
      else seen.set(key, i);
    });
  }
}

/** Findings go to a topic; someone must read it. */
function checkAlertConsumers(config: Loose, report: (path: Path, message: string) => void): void {
  const detection = isRecord(config.detection) ? config.detection : {};
  if (config.mode === 'organization') {
    if (!detection.centralEventBusArn) {
      report(['detection', 'centralEventBusArn'], "required in organization mode: the security tooling account's event bus, which receives every routed finding");
    }
    return;
  }
  const emails = Array.isArray(detection.notificationEmails) ? detection.notificationEmails : [];
  if (emails.length === 0 && !detection.webhook && !detection.centralEventBusArn) {
    report(['detection'], 'no one receives findings: give at least one of notificationEmails, webhook or centralEventBusArn');
  }
}

function checkNames(config: Loose, env: { name: string; account: string; region: string }, index: number, report: (path: Path, message: string) => void): void {
  if (!isString(config.name) || !/^[a-z][a-z0-9-]*$/.test(config.name) || !/^[a-z][a-z0-9-]*$/.test(env.name)) return;
  const problem = baseNameProblem(config.name, env.name);
  if (problem) report(['environments', index, 'name'], `name + environment name: ${problem}`);
  const input = {
    appName: config.name,
    envName: env.name,
    account: env.account,
    region: env.region,
    engine: isRecord(config.data) && config.data.engine === 'aurora-mysql' ? ('aurora-mysql' as const) : ('aurora-postgresql' as const),
    wafLogsToS3: isRecord(config.application) && isRecord(config.application.waf) && config.application.waf.logDestination === 's3',
    // The schema's defaults: local keys, the Response stack on, the clean room off (workload-stage.ts builds it on its own switch).
    localKeys: !(isRecord(config.keys) && config.keys.mode === 'central'),
    response: !(isRecord(config.response) && config.response.enabled === false),
    cleanRoom: isRecord(config.response) && isRecord(config.response.cleanRoom) && config.response.cleanRoom.enabled === true,
    hardenedImage: !(isRecord(config.application) && isRecord(config.application.image) && config.application.image.source === 'public'),
    osBaseline: !(isRecord(config.application) && isRecord(config.application.osBaseline) && config.application.osBaseline.enabled === false),
  };
  const [first, ...others] = tooLongNames(input);
  if (first) {
    const also = others.map((p) => `${p.what} ${[...p.name].length} > ${p.max}`).join(', ');
    report(
      ['environments', index, 'name'],
      `name "${config.name}" + environment "${env.name}" make the ${first.what} ${JSON.stringify(first.name)} ${[...first.name].length} characters; AWS allows ${first.max}${also ? ` (also too long: ${also})` : ''}; keep "<name>-<environment>" to at most ${longestBaseName(input)} characters`,
    );
  }
}

function checkArns(config: Loose, env: { name: string; account: string; region: string }, report: (path: Path, message: string) => void): void {
  const acmRule = 'a load balancer uses ACM certificates of its own account and region only';
  const placements: (Placement & { value: unknown })[] = [];
  const place = (path: Path, value: unknown, what: string, sameRegion: boolean, sameAccount: boolean, because = '') =>
    placements.push({ path, value, what, sameRegion, sameAccount, because });
  const app = isRecord(config.application) ? config.application : {};
  const certificate = isRecord(app.certificate) ? app.certificate : {};
  const auth = isRecord(app.authentication) ? app.authentication : {};
  const keys = isRecord(config.keys) ? config.keys : {};
  const detection = isRecord(config.detection) ? config.detection : {};
  const network = isRecord(config.network) ? config.network : {};
  if (certificate.kind === 'imported') place(['application', 'certificate', 'certificateArn'], certificate.certificateArn, 'the imported certificate', true, true, acmRule + (arrayLength(config.environments) > 1 ? '; environments in different regions or accounts cannot share one' : ''));
  if (certificate.kind === 'private') place(['application', 'certificate', 'certificateAuthorityArn'], certificate.certificateAuthorityArn, 'the private CA', true, false, 'ACM issues private certificates only from a CA in the same region (share it across accounts with AWS RAM)');
  if (auth.kind === 'oidc') place(['application', 'authentication', 'clientSecretArn'], auth.clientSecretArn, 'the OIDC client secret', true, false, 'the load balancer reads it through a CloudFormation dynamic reference in its own region');
  if (isRecord(detection.webhook)) place(['detection', 'webhook', 'secretArn'], detection.webhook.secretArn, 'the webhook secret', true, true, 'the webhook function reads it in its own account and region, encrypted with this account\'s secrets key');
  if (isRecord(keys.hsmBackedKeyArns)) place(['keys', 'hsmBackedKeyArns', 'data'], keys.hsmBackedKeyArns.data, 'the HSM-backed key', true, true, "a custom key store's keys live in the account and region of its CloudHSM cluster, which is this environment's");
  if (isRecord(keys.centralKeyArns)) {
    for (const [purpose, arn] of Object.entries(keys.centralKeyArns)) place(['keys', 'centralKeyArns', purpose], arn, `the central ${purpose} key`, true, false, 'KMS keys are regional; services encrypt only with keys in their own region');
  }
  if (Array.isArray(keys.administratorRoleArns)) keys.administratorRoleArns.forEach((arn: unknown, i: number) => place(['keys', 'administratorRoleArns', i], arn, 'the administrator role', false, false));
  place(['detection', 'centralEventBusArn'], detection.centralEventBusArn, 'the central event bus', false, false);
  if (isRecord(config.backup)) place(['backup', 'copyToVaultArn'], config.backup.copyToVaultArn, 'the copy vault', false, false);
  if (isRecord(network.trafficMirroring) && isRecord(network.trafficMirroring.target)) {
    place(['network', 'trafficMirroring', 'target', 'networkLoadBalancerArn'], network.trafficMirroring.target.networkLoadBalancerArn, 'the mirror target load balancer', true, false, 'a mirror target must be in the same region as its sources');
  }
  for (const placement of placements) {
    if (!isString(placement.value)) continue;
    const problem = placementProblem(placement.value, placement, env);
    if (problem) report(placement.path, problem);
  }
}

function checkNetworkAcls(config: Loose, env: Loose, report: (path: Path, message: string) => void): void {
  const network = isRecord(config.network) ? config.network : undefined;
  const profile = isString(env.profile) && Object.hasOwn(PROFILES, env.profile) ? PROFILES[env.profile as keyof typeof PROFILES] : undefined;
  if (!network || !profile) return;
  const ingress = Array.isArray(network.ingressCidrs) ? network.ingressCidrs.length : 1;
  const zonesSetting = network.availabilityZones;
  const zones = typeof zonesSetting === 'number' ? zonesSetting : Array.isArray(zonesSetting) ? zonesSetting.length : profile.availabilityZones;
  if (!Number.isInteger(zones) || zones < 1 || zones > 6) return; // reported by the field schema
  const natEgress = (network.natGateways ?? profile.natGateways) !== 'none';
  const quota = typeof network.naclRulesPerDirection === 'number' ? network.naclRulesPerDirection : DEFAULT_NACL_RULES_PER_DIRECTION;
  for (const over of naclOverBudget({ ingressCidrs: ingress, zones, natEgress }, quota)) {
    const arithmetic = `${over.formula} = ${over.rules} rules + ${RESERVED_DENY_ENTRIES} kept for incident-response denies = ${over.rules + RESERVED_DENY_ENTRIES} > ${quota} per direction`;
    if (over.tier === 'public' && over.direction === 'inbound') {
      report(['network', 'ingressCidrs'], `too many for the public subnets' network ACL (environment "${env.name}"): ${arithmetic}; list at most ${maxIngressCidrs({ zones, natEgress }, quota)} (summarize ranges), or raise the quota and set network.naclRulesPerDirection`);
    } else {
      report(['network', 'availabilityZones'], `the ${over.tier} subnets' ${over.direction} network ACL of environment "${env.name}" needs ${arithmetic}; use fewer zones, or raise the quota and set network.naclRulesPerDirection`);
    }
  }
}

function arrayLength(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isRecord(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
