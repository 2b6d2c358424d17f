import type { ResourceScanType, ResourceState, State, Status } from '@aws-sdk/client-inspector2';

/** The scan types this resource manages; CODE_REPOSITORY needs an SCM integration and is out of scope. */
export type InspectorResourceType = Extract<ResourceScanType, 'EC2' | 'ECR' | 'LAMBDA' | 'LAMBDA_CODE'>;

/** Canonical order, so joined lists (physical id, Data) are stable whatever order the template uses. */
export const RESOURCE_TYPES: readonly InspectorResourceType[] = ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE'];

/** Where BatchGetAccountStatus reports each scan type inside `resourceState`. */
const STATE_KEY: Record<InspectorResourceType, keyof ResourceState> = {
  EC2: 'ec2',
  ECR: 'ecr',
  LAMBDA: 'lambda',
  LAMBDA_CODE: 'lambdaCode',
};

export function isResourceType(value: unknown): value is InspectorResourceType {
  return typeof value === 'string' && (RESOURCE_TYPES as readonly string[]).includes(value);
}

export function sortTypes(types: Iterable<InspectorResourceType>): InspectorResourceType[] {
  const wanted = new Set(types);
  return RESOURCE_TYPES.filter((type) => wanted.has(type));
}

export function joinTypes(types: Iterable<InspectorResourceType>): string {
  return sortTypes(types).join(',');
}

/** Parses a list this module wrote itself (comma-joined, possibly empty); `what` names it in the error. */
export function splitTypes(joined: string, what: string): InspectorResourceType[] {
  if (joined === '') return [];
  return joined.split(',').map((item) => {
    if (!isResourceType(item)) {
      throw new Error(`${what} contains "${item}", which is not one of ${RESOURCE_TYPES.join(', ')}.`);
    }
    return item;
  });
}

/** The scan type's state; undefined when the Region does not report it (e.g. Lambda code scanning unsupported). */
export function stateOf(resourceState: ResourceState | undefined, type: InspectorResourceType): State | undefined {
  return resourceState?.[STATE_KEY[type]];
}

/** ENABLING counts as on: someone has already asked for it, so sending Enable again is redundant. */
export function isOn(status: Status | undefined): boolean {
  return status === 'ENABLED' || status === 'ENABLING';
}

/** "ACCESS_DENIED: message" when the API gives a reason, else undefined. */
export function reasonOf(state: { errorCode?: string; errorMessage?: string } | undefined): string | undefined {
  const parts = [state?.errorCode, state?.errorMessage].filter((part): part is string => !!part);
  return parts.length > 0 ? parts.join(': ') : undefined;
}
