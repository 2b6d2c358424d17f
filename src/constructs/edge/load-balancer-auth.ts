import { Duration, SecretValue, Token } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as actions from 'aws-cdk-lib/aws-elasticloadbalancingv2-actions';
import type { IConstruct } from 'constructs';

interface SessionOptions {
  /** Scopes requested from the IdP. @default 'openid' */
  readonly scope?: string;
  /** How long an authenticated session lasts. @default 8 hours */
  readonly sessionTimeout?: Duration;
}

/** An OpenID Connect identity provider (corporate IdP, or SAML/LDAP/AD behind an OIDC broker). */
export interface OidcAuthentication extends SessionOptions {
  readonly kind: 'oidc';
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly userInfoEndpoint: string;
  readonly clientId: string;
  /** Secrets Manager secret holding the client secret, resolved by CloudFormation at deploy time (never in the template). */
  readonly clientSecretArn: string;
  /** JSON key of the client secret inside the secret. @default - the whole secret string */
  readonly clientSecretJsonField?: string;
}

/** An Amazon Cognito user pool, its app client (with a secret and the code grant) and its domain, owned by the identity tier. */
export interface CognitoAuthentication extends SessionOptions {
  readonly kind: 'cognito';
  readonly userPool: cognito.IUserPool;
  readonly userPoolClient: cognito.IUserPoolClient;
  readonly userPoolDomain: cognito.IUserPoolDomain;
}

export type LoadBalancerAuthentication = OidcAuthentication | CognitoAuthentication;

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;

/**
 * The listener action that authenticates users before `next`. Unauthenticated
 * requests are sent to the IdP (never let through). The CDK's automatic
 * "HTTPS out to anywhere" rule is turned off: `SecureLoadBalancer` opens it on
 * the load balancer's group itself, where it can say why.
 */
export function authenticatedAction(scope: IConstruct, auth: LoadBalancerAuthentication, next: elbv2.ListenerAction): elbv2.ListenerAction {
  const session = {
    scope: auth.scope ?? 'openid',
    sessionTimeout: auth.sessionTimeout ?? Duration.hours(8),
    onUnauthenticatedRequest: elbv2.UnauthenticatedAction.AUTHENTICATE,
    allowHttpsOutbound: false,
  };
  if (auth.kind === 'cognito') {
    return new actions.AuthenticateCognitoAction({ ...session, userPool: auth.userPool, userPoolClient: auth.userPoolClient, userPoolDomain: auth.userPoolDomain, next });
  }
  if (auth.kind !== 'oidc') {
    throw new Error(`${scope.node.path}: authentication.kind must be 'oidc' or 'cognito' (got ${JSON.stringify((auth as { kind?: unknown }).kind)})`);
  }
  for (const field of ['issuer', 'authorizationEndpoint', 'tokenEndpoint', 'userInfoEndpoint'] as const) {
    const url = auth[field];
    if (typeof url !== 'string' || (!Token.isUnresolved(url) && !url.startsWith('https://'))) {
      throw new Error(`${scope.node.path}: authentication.${field} must be an https:// URL of the identity provider (got ${JSON.stringify(url)})`);
    }
  }
  if (typeof auth.clientId !== 'string' || !auth.clientId.trim()) {
    throw new Error(`${scope.node.path}: authentication.clientId is required for OIDC`);
  }
  if (typeof auth.clientSecretArn !== 'string' || (!Token.isUnresolved(auth.clientSecretArn) && !SECRET_ARN.test(auth.clientSecretArn))) {
    throw new Error(`${scope.node.path}: authentication.clientSecretArn must be the ARN of the Secrets Manager secret holding the OIDC client secret (got ${JSON.stringify(auth.clientSecretArn)})`);
  }
  return elbv2.ListenerAction.authenticateOidc({
    ...session,
    issuer: auth.issuer,
    authorizationEndpoint: auth.authorizationEndpoint,
    tokenEndpoint: auth.tokenEndpoint,
    userInfoEndpoint: auth.userInfoEndpoint,
    clientId: auth.clientId,
    clientSecret: SecretValue.secretsManager(auth.clientSecretArn, { jsonField: auth.clientSecretJsonField }),
    next,
  });
}
