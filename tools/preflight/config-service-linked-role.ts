import { GetRoleCommand } from '@aws-sdk/client-iam';
import { isError } from './aws-errors';
import type { Check } from './types';

const ROLE = 'AWSServiceRoleForConfig';

/**
 * AWS Config's service-linked role exists once per account: the stacks create
 * it only when `detection.createConfigServiceLinkedRole` is true, and a
 * recorder they create needs it either way.
 */
export const configServiceLinkedRole: Check = async ({ clients, settings, plan }) => {
  const createsRole = (plan.resourceCounts['AWS::IAM::ServiceLinkedRole'] ?? 0) > 0 && settings.detection.createConfigServiceLinkedRole;
  const createsRecorder = (plan.resourceCounts['AWS::Config::ConfigurationRecorder'] ?? 0) > 0;
  if (!createsRecorder) return [];
  let exists = true;
  try {
    await clients.iam.send(new GetRoleCommand({ RoleName: ROLE }));
  } catch (error) {
    if (!isError(error, 'NoSuchEntityException', 'NoSuchEntity')) throw error;
    exists = false;
  }
  if (exists && createsRole) {
    return [{ status: 'FAIL', check: 'config-service-linked-role', detail: `${ROLE} already exists; creating it would fail`, remedy: 'set detection.createConfigServiceLinkedRole: false' }];
  }
  if (!exists && !createsRole) {
    return [{ status: 'FAIL', check: 'config-service-linked-role', detail: `${ROLE} does not exist and the stacks do not create it; the recorder needs it`, remedy: 'set detection.createConfigServiceLinkedRole: true' }];
  }
  return [{ status: 'PASS', check: 'config-service-linked-role', detail: exists ? `${ROLE} exists; not created` : `${ROLE} does not exist yet; the stacks create it` }];
};
