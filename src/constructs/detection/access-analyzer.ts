import * as accessanalyzer from 'aws-cdk-lib/aws-accessanalyzer';
import { Construct } from 'constructs';

export interface AccessAnalyzerProps {
  /** Days without use after which a role, user, access key, password or permission is reported as unused (1–365). @default 90 */
  readonly unusedAccessAge?: number;
  /** The account already has its analyzer of type ACCOUNT (one per account and Region): none is created. @default false */
  readonly adoptExternalAccess?: boolean;
  /** The account already has its analyzer of type ACCOUNT_UNUSED_ACCESS: none is created, and its own age setting applies. @default false */
  readonly adoptUnusedAccess?: boolean;
}

/**
 * IAM Access Analyzer for this account, as the SRA places it in every member
 * account: one analyzer for resources shared outside the account (buckets,
 * keys, roles, secrets, queues, snapshots) and one for unused access (roles,
 * users, credentials and permissions nobody uses), the least-privilege half of
 * the Security Pillar's credential protection. No Security Hub control covers
 * either, so the tests pin them.
 */
export class AccessAnalyzer extends Construct {
  /** Undefined when the account's existing analyzer of this type is adopted. */
  readonly externalAccess?: accessanalyzer.CfnAnalyzer;
  /** Undefined when the account's existing analyzer of this type is adopted. */
  readonly unusedAccess?: accessanalyzer.CfnAnalyzer;

  constructor(scope: Construct, id: string, props: AccessAnalyzerProps = {}) {
    super(scope, id);
    const age = props.unusedAccessAge ?? 90;
    if (!Number.isInteger(age) || age < 1 || age > 365) throw new Error(`${this.node.path}: unusedAccessAge must be a whole number of days from 1 to 365 (got ${age})`);
    if (!props.adoptExternalAccess) this.externalAccess = new accessanalyzer.CfnAnalyzer(this, 'ExternalAccess', { type: 'ACCOUNT' });
    if (!props.adoptUnusedAccess) {
      this.unusedAccess = new accessanalyzer.CfnAnalyzer(this, 'UnusedAccess', {
        type: 'ACCOUNT_UNUSED_ACCESS',
        analyzerConfiguration: { unusedAccessConfiguration: { unusedAccessAge: age } },
      });
    }
  }
}
