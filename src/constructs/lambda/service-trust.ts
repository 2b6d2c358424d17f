import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * A service principal that may assume a role only for a resource of this account
 * (`aws:SourceAccount`, and `aws:SourceArn` matching `sourceArn`): the confused-deputy
 * guard. Only for services that send both keys when they assume a role (checked per
 * service in the AWS documentation; see test/compliance/service-trust.test.ts for the
 * services that do not).
 */
export function servicePrincipalForThisAccount(service: string, sourceArn: string): iam.PrincipalBase {
  return new iam.ServicePrincipal(service).withConditions(serviceTrustConditions(sourceArn));
}

/** The conditions of `servicePrincipalForThisAccount`, for a trust policy written elsewhere. */
export function serviceTrustConditions(sourceArn: string): Record<string, Record<string, string>> {
  return { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID }, ArnLike: { 'aws:SourceArn': sourceArn } };
}

/** `arn:…:<service>:<region>:<account>:<resource>` of this account and region. */
export function arnOfThisAccount(service: string, resource: string): string {
  return `arn:${Aws.PARTITION}:${service}:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
}
