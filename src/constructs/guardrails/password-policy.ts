/**
 * The IAM password policy of the account, shared by the guardrail that sets it
 * and the Config rule that checks it, so the two cannot drift apart.
 */
export interface PasswordPolicy {
  /** Minimum length, 14 to 128. */
  readonly minimumLength: number;
  /** Passwords need an uppercase and a lowercase letter, a number and a symbol. */
  readonly requireAllCharacterClasses: boolean;
  /** How many previous passwords cannot be reused, 1 to 24. */
  readonly reusePrevention: number;
  /** Days before a password expires, 1 to 1095. */
  readonly maxAgeDays: number;
}

/** The Security Pillar's strong-authentication policy as the SRA and CIS benchmark set it. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minimumLength: 14,
  requireAllCharacterClasses: true,
  reusePrevention: 24,
  maxAgeDays: 90,
};

/** Throws with the field and its allowed range when `policy` is weaker than the baseline or outside IAM's limits. */
export function validatePasswordPolicy(policy: PasswordPolicy): void {
  const problems: string[] = [];
  const within = (name: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${name} must be an integer from ${min} to ${max} (got ${value})`);
  };
  within('minimumLength', policy.minimumLength, 14, 128);
  within('reusePrevention', policy.reusePrevention, 1, 24);
  within('maxAgeDays', policy.maxAgeDays, 1, 1095);
  if (!policy.requireAllCharacterClasses) problems.push('requireAllCharacterClasses must be true (CIS and Security Hub IAM.7 require every character class)');
  if (problems.length) throw new Error(`password policy: ${problems.join('; ')}`);
}

/** Parameters of iam:UpdateAccountPasswordPolicy. */
export function updatePasswordPolicyParameters(policy: PasswordPolicy): Record<string, number | boolean> {
  const classes = policy.requireAllCharacterClasses;
  return {
    MinimumPasswordLength: policy.minimumLength,
    RequireUppercaseCharacters: classes,
    RequireLowercaseCharacters: classes,
    RequireNumbers: classes,
    RequireSymbols: classes,
    AllowUsersToChangePassword: true,
    // Expired passwords are changed at the next sign-in rather than locking the user out.
    HardExpiry: false,
    MaxPasswordAge: policy.maxAgeDays,
    PasswordReusePrevention: policy.reusePrevention,
  };
}

/** Input parameters of the IAM_PASSWORD_POLICY Config rule (strings, as the rule expects). */
export function passwordPolicyRuleParameters(policy: PasswordPolicy): Record<string, string> {
  const classes = String(policy.requireAllCharacterClasses);
  return {
    RequireUppercaseCharacters: classes,
    RequireLowercaseCharacters: classes,
    RequireSymbols: classes,
    RequireNumbers: classes,
    MinimumPasswordLength: String(policy.minimumLength),
    PasswordReusePrevention: String(policy.reusePrevention),
    MaxPasswordAge: String(policy.maxAgeDays),
  };
}
