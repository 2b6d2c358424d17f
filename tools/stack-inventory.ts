import type { CloudAssembly } from 'aws-cdk-lib/cx-api';

export interface StackInventory {
  readonly stage: string;
  readonly stack: string;
  readonly resources: number;
  readonly bytes: number;
}

/** Every stack in the assembly (nested stages included) with its resource count and template size. */
export function inventory(assembly: CloudAssembly): StackInventory[] {
  const rows: StackInventory[] = [];
  for (const nested of assembly.nestedAssemblies) {
    for (const stack of nested.nestedAssembly.stacks) {
      rows.push({
        stage: nested.displayName ?? nested.id,
        stack: stack.stackName,
        resources: Object.keys(stack.template.Resources ?? {}).length,
        bytes: JSON.stringify(stack.template).length,
      });
    }
  }
  return rows;
}

/** Resources per stack, against CloudFormation's 500-resource and 1 MB limits. */
export function describeStacks(assembly: CloudAssembly): string {
  return inventory(assembly)
    .map((r) => `  ${r.stack.padEnd(32)} ${String(r.resources).padStart(4)} resources  ${(r.bytes / 1024).toFixed(0).padStart(5)} KiB`)
    .join('\n');
}
