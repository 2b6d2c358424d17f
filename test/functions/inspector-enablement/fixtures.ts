import type { AccountState, BatchGetAccountStatusResponse, State, Status } from '@aws-sdk/client-inspector2';

export const ACCOUNT = '111122223333';

export type TypeStates = Partial<Record<'ec2' | 'ecr' | 'lambda' | 'lambdaCode', Status | State>>;

/** BatchGetAccountStatus answer; unlisted scan types are DISABLED; a State gives an error code and message. */
export function status(types: TypeStates, accountStatus: Status | State = 'ENABLED', accountId = ACCOUNT): BatchGetAccountStatusResponse {
  const state = (value: Status | State | undefined): State =>
    typeof value === 'object' ? value : { status: value ?? 'DISABLED', errorCode: undefined, errorMessage: undefined };
  const account: AccountState = {
    accountId,
    state: state(accountStatus),
    resourceState: { ec2: state(types.ec2), ecr: state(types.ecr), lambda: state(types.lambda), lambdaCode: state(types.lambdaCode) },
  };
  return { accounts: [account], failedAccounts: [] };
}

/** The fields CloudFormation puts on every custom-resource request for this resource. */
export const REQUEST = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:provider',
  ResponseURL: 'https://cloudformation-custom-resource-response.example/',
  StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/workload/1',
  RequestId: 'request-1',
  LogicalResourceId: 'InspectorEnablement',
  ResourceType: 'Custom::InspectorEnablement',
};
