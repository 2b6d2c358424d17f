import type { EnvironmentSettings } from './settings';

export interface ServiceMode {
  readonly service: string;
  /** Who runs it for this account. */
  readonly runBy: 'this account' | 'organization (delegated administrator)';
}

/**
 * Which account-level security services this stage turns on itself and which
 * it leaves to the organization's delegated administrator, so nothing here
 * fights an organization-wide configuration.
 */
export function serviceModes(settings: EnvironmentSettings): ServiceMode[] {
  const standalone = settings.mode === 'standalone';
  const orgOrHere = standalone ? 'this account' : 'organization (delegated administrator)';
  return [
    { service: 'CloudTrail (multi-region trail, alarms)', runBy: orgOrHere },
    { service: 'GuardDuty', runBy: orgOrHere },
    { service: 'Security Hub', runBy: orgOrHere },
    { service: 'Inspector (EC2 scanning)', runBy: orgOrHere },
    { service: 'Inspector (ECR, Lambda, Lambda code; CIS scans of the fleet)', runBy: orgOrHere },
    { service: 'Macie (automated sensitive data discovery)', runBy: settings.detection.macie.enabled ? orgOrHere : 'organization (delegated administrator)' },
    { service: 'AWS Config recorder', runBy: orgOrHere },
    { service: 'AWS Config rules for this workload', runBy: 'this account' },
    { service: 'IAM Access Analyzer (external and unused access)', runBy: 'this account' },
    { service: 'Account guardrails and findings routing', runBy: 'this account' },
    ...(settings.detection.alternateContacts ? [{ service: 'Alternate contacts (security, operations, billing)', runBy: 'this account' as const }] : []),
    ...(settings.detection.securityIncidentResponse.enabled ? [{ service: 'Security Incident Response roles (membership: organization)', runBy: 'this account' as const }] : []),
    ...(settings.detection.auditManager.enabled ? [{ service: 'Audit Manager assessments', runBy: 'this account' as const }] : []),
  ];
}
