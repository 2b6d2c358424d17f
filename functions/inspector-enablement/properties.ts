import { type InspectorResourceType, RESOURCE_TYPES, isResourceType, sortTypes } from './resource-types';

export interface EnablementProperties {
  readonly accountId: string;
  /** Canonical order, no duplicates. */
  readonly resourceTypes: readonly InspectorResourceType[];
  readonly disableOnDelete: boolean;
}

const DEFAULT_RESOURCE_TYPES: readonly InspectorResourceType[] = ['EC2'];
const KNOWN = ['AccountId', 'ResourceTypes', 'DisableOnDelete'];
/** Added by CloudFormation / the CDK CustomResource, not by the template author. */
const RESERVED = ['ServiceToken', 'ServiceTimeout'];

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

/**
 * Validates the custom resource's properties. CloudFormation passes every scalar as a string, hence the string
 * forms ('true'/'false'). Unknown keys are rejected so a typo (e.g. "DisableOnDeletion") fails the deployment
 * instead of silently falling back to a default.
 */
export function parseProperties(raw: Record<string, unknown> | undefined): EnablementProperties {
  const props = raw ?? {};
  const unknown = Object.keys(props).filter((key) => !KNOWN.includes(key) && !RESERVED.includes(key));
  if (unknown.length > 0) {
    throw new Error(`Unknown propert${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}; allowed: ${KNOWN.join(', ')}.`);
  }
  return {
    accountId: parseAccountId(props.AccountId),
    resourceTypes: parseResourceTypes(props.ResourceTypes),
    disableOnDelete: parseDisableOnDelete(props.DisableOnDelete),
  };
}

function parseAccountId(value: unknown): string {
  if (typeof value !== 'string' || !/^\d{12}$/.test(value)) {
    throw new Error(`Property AccountId must be a 12-digit AWS account ID, got ${show(value)}.`);
  }
  return value;
}

function parseResourceTypes(value: unknown): InspectorResourceType[] {
  if (value === undefined) return [...DEFAULT_RESOURCE_TYPES];
  const allowed = RESOURCE_TYPES.join(', ');
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error(`Property ResourceTypes must be a non-empty list of ${allowed}, got ${show(value)}.`);
  }
  const invalid = value.filter((item) => !isResourceType(item));
  if (invalid.length > 0) {
    throw new Error(`Property ResourceTypes contains ${invalid.map(show).join(', ')}; allowed: ${allowed}.`);
  }
  const types = value as InspectorResourceType[];
  if (new Set(types).size !== types.length) {
    throw new Error(`Property ResourceTypes lists a type more than once: ${show(value)}.`);
  }
  // Inspector only runs Lambda code scanning on top of Lambda standard scanning (and disabling LAMBDA disables both).
  if (types.includes('LAMBDA_CODE') && !types.includes('LAMBDA')) {
    throw new Error('Property ResourceTypes lists LAMBDA_CODE without LAMBDA; Lambda code scanning requires LAMBDA, add it.');
  }
  return sortTypes(types);
}

function parseDisableOnDelete(value: unknown): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new Error(`Property DisableOnDelete must be "true" or "false" (default "false"), got ${show(value)}.`);
}
