import type { Template } from 'aws-cdk-lib/assertions';

export interface SdkCall {
  service: string;
  action: string;
  parameters?: Record<string, unknown>;
  physicalResourceId?: { id?: string };
  logApiResponseData?: boolean;
}

/** A property that may be an Fn::Join of JSON text and tokens, as one string with each token written «like this». */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const [, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts.map((p) => (typeof p === 'string' ? p : `«${JSON.stringify(p).replace(/"/g, "'")}»`)).join('');
}

/** The calls of one AwsCustomResource type (`Custom::<id>`) of the template, parsed, with its DependsOn. */
export function accountCall(template: Template, type: string): { create: SdkCall; update: SdkCall; delete?: SdkCall; dependsOn: string[] } {
  const found = Object.values(template.findResources(`Custom::${type}`));
  if (found.length !== 1) throw new Error(`expected one Custom::${type}, found ${found.length}`);
  const { Properties: p, DependsOn } = found[0]! as { Properties: Record<string, unknown>; DependsOn?: string[] };
  const parse = (value: unknown) => (value === undefined ? undefined : (JSON.parse(flatten(value)) as SdkCall));
  return { create: parse(p.Create)!, update: parse(p.Update)!, delete: parse(p.Delete), dependsOn: DependsOn ?? [] };
}
