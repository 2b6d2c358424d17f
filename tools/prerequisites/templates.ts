import type { CloudAssembly } from 'aws-cdk-lib/cx-api';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Resource {
  readonly Type: string;
  readonly Properties?: Json;
}

/** One synthesized stack: its id in the stage (`Data`), its CloudFormation name and its template. */
export interface StackTemplate {
  readonly id: string;
  readonly stackName: string;
  readonly template: { Resources: Record<string, Resource>; Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }> };
}

/** A resource of one stack, as a template names it. */
export interface Located {
  readonly stack: StackTemplate;
  readonly logicalId: string;
}

/** The stacks of one stage of an assembly. */
export function stageStacks(assembly: CloudAssembly, stageArtifactId: string): StackTemplate[] {
  return assembly.getNestedAssembly(stageArtifactId).stacks.map((s) => ({
    id: s.hierarchicalId.split('/').pop()!,
    stackName: s.stackName,
    template: s.template,
  }));
}

/**
 * The resource a value points at: `Ref`, `Fn::GetAtt`, or an output of
 * another stack (`Fn::GetStackOutput`, `Fn::ImportValue`), followed to the
 * stack that defines it. Joins are searched for such a pointer (an ARN with a
 * prefix appended is still that resource).
 */
export function resolveResource(value: unknown, stack: StackTemplate, stacks: readonly StackTemplate[]): Located | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Json;
  if (typeof v.Ref === 'string') return stack.template.Resources[v.Ref] ? { stack, logicalId: v.Ref } : undefined;
  if (Array.isArray(v['Fn::GetAtt'])) return { stack, logicalId: v['Fn::GetAtt'][0] as string };
  if (v['Fn::GetStackOutput']) {
    const { StackName, OutputName } = v['Fn::GetStackOutput'] as { StackName: string; OutputName: string };
    const source = stacks.find((s) => s.stackName === StackName);
    const output = source?.template.Outputs?.[OutputName];
    return source && output ? resolveResource(output.Value, source, stacks) : undefined;
  }
  if (v['Fn::ImportValue'] !== undefined) {
    for (const source of stacks) {
      for (const output of Object.values(source.template.Outputs ?? {})) {
        if (JSON.stringify(output.Export?.Name) === JSON.stringify(v['Fn::ImportValue'])) return resolveResource(output.Value, source, stacks);
      }
    }
    return undefined;
  }
  if (Array.isArray(v['Fn::Join'])) {
    for (const part of v['Fn::Join'][1] as unknown[]) {
      const found = resolveResource(part, stack, stacks);
      if (found) return found;
    }
  }
  return undefined;
}

/** Whether `value` (any depth) holds `text`, also inside a longer string (an SDK call's parameters as JSON). */
export function mentions(value: unknown, text: string): boolean {
  if (typeof value === 'string') return value.includes(text);
  if (Array.isArray(value)) return value.some((v) => mentions(v, text));
  if (value && typeof value === 'object') return Object.values(value).some((v) => mentions(v, text));
  return false;
}

/** Every resource of every stack, with its stack. */
export function* allResources(stacks: readonly StackTemplate[]): Generator<Located & { resource: Resource }> {
  for (const stack of stacks) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources)) yield { stack, logicalId, resource };
  }
}
