import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * An IAM role whose added permissions (from `grant*` methods and L2
 * constructs) go to one customer-managed policy instead of the inline
 * `DefaultPolicy`, which the NIST, PCI and HIPAA packs refuse. Everything else
 * behaves as `iam.Role`.
 */
export class ManagedPolicyRole extends iam.Role {
  override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    // Looked up, not held in a field: the base constructor may call this before subclass fields exist.
    let policy = this.node.tryFindChild('Policy') as iam.ManagedPolicy | undefined;
    if (!policy) policy = new iam.ManagedPolicy(this, 'Policy', { roles: [this], description: `Permissions of ${this.node.path}` });
    policy.addStatements(statement);
    return { statementAdded: true, policyDependable: policy };
  }
}
