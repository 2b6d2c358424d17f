/**
 * AWS console deep links. Console URL fragments are not a public API, so every path lives here and nowhere else:
 * when the console moves a page, this is the one file to change.
 */

// Region names are interpolated into a host name, so anything that is not shaped like a region gets no link at all.
const REGION_PATTERN = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

/**
 * The console origin for a region, or undefined when there is no console a chat reader could open (isolated and
 * sovereign partitions, malformed regions). China and GovCloud use one global console host and take the region from
 * the `region=` query parameter that every path below carries.
 */
export function consoleOrigin(region: string | undefined): string | undefined {
  if (region === undefined || !REGION_PATTERN.test(region)) return undefined;
  if (region.startsWith('cn-')) return 'https://console.amazonaws.cn';
  if (region.startsWith('us-gov-')) return 'https://console.amazonaws-us-gov.com';
  if (region.includes('-iso') || region.startsWith('eusc-')) return undefined;
  return `https://${region}.console.aws.amazon.com`;
}

const enc = encodeURIComponent;

function link(region: string | undefined, path: (region: string) => string): string | undefined {
  const origin = consoleOrigin(region);
  return origin === undefined || region === undefined ? undefined : `${origin}/${path(region)}`;
}

/** The same link GuardDuty itself puts in the ASFF SourceUrl of its findings. */
export function guardDutyFindingLink(region: string | undefined, findingId: string | undefined): string | undefined {
  if (findingId === undefined) return undefined;
  return link(region, (r) => `guardduty/home?region=${r}#/findings?macros=current&fId=${enc(findingId)}`);
}

/**
 * Security Hub's findings search takes `Id EQUALS <id>` with the id URL-encoded twice: once for the filter, once for
 * the fragment.
 */
export function securityHubFindingLink(region: string | undefined, findingId: string | undefined): string | undefined {
  if (findingId === undefined) return undefined;
  return link(
    region,
    (r) =>
      `securityhub/home?region=${r}#/findings?search=Id%3D%255Coperator%255C%253AEQUALS%255C%253A${enc(enc(findingId))}`,
  );
}

/** Inspector has no documented per-finding URL: this opens the region's findings list (the title identifies the finding). */
export function inspectorFindingsLink(region: string | undefined): string | undefined {
  return link(region, (r) => `inspector/v2/home?region=${r}#/findings/all`);
}

/** Access Analyzer has no documented per-finding URL either; the findings list shows active findings first. */
export function accessAnalyzerFindingsLink(region: string | undefined): string | undefined {
  return link(region, (r) => `access-analyzer/home?region=${r}#/findings`);
}

export function configRuleLink(region: string | undefined, ruleName: string | undefined): string | undefined {
  if (ruleName === undefined) return undefined;
  return link(region, (r) => `config/home?region=${r}#/rules/details?configRuleName=${enc(ruleName)}`);
}

export function acmCertificateLink(region: string | undefined, certificateArn: string | undefined): string | undefined {
  const id = certificateArn?.match(/:certificate\/([^/]+)$/)?.[1];
  if (id === undefined) return undefined;
  return link(region, (r) => `acm/home?region=${r}#/certificates/${enc(id)}`);
}

/** The console opens a secret by name; an ARN ends in the name plus a '-' and six random characters. */
export function secretNameFromId(secretId: string): string {
  return secretId.match(/:secret:(.+)-[A-Za-z0-9]{6}$/)?.[1] ?? secretId;
}

export function secretLink(region: string | undefined, secretId: string | undefined): string | undefined {
  if (secretId === undefined) return undefined;
  return link(region, (r) => `secretsmanager/secret?name=${enc(secretNameFromId(secretId))}&region=${r}`);
}

export function cloudWatchAlarmLink(region: string | undefined, alarmName: string | undefined): string | undefined {
  if (alarmName === undefined) return undefined;
  return link(region, (r) => `cloudwatch/home?region=${r}#alarmsV2:alarm/${enc(alarmName)}`);
}
