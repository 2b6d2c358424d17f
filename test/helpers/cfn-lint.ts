import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Synthesized } from './app';

/** One synthesized template on disk, named as a finding should name it. */
export interface TemplateFile {
  /** The config it belongs to (an example or a variant). */
  readonly config: string;
  /** `<stage>/<stack>`, e.g. `dev/Network`. */
  readonly stack: string;
  readonly path: string;
  readonly region: string;
  readonly template: { readonly Resources: Readonly<Record<string, { Type: string; Properties?: Record<string, unknown> }>> };
}

export interface CfnLintFinding {
  readonly rule: string;
  readonly level: 'Error' | 'Warning' | 'Informational';
  readonly config: string;
  readonly stack: string;
  /** Path inside the template, e.g. `Resources/FlowLog/Properties/DestinationOptions`. */
  readonly path: string;
  /** Type of the resource the finding is in, when it is in one. */
  readonly resourceType?: string;
  readonly message: string;
}

/** Every stack template of every stage of a synthesized config, as written by `app.synth()`. */
export function templateFiles(config: string, synthesized: Synthesized): TemplateFile[] {
  // The app was synthesized already; this returns the same cloud assembly.
  const assembly = synthesized.built.app.synth();
  return assembly.nestedAssemblies.flatMap((stage) =>
    stage.nestedAssembly.stacks.map((stack) => ({
      config,
      stack: stack.hierarchicalId,
      path: stack.templateFullPath,
      region: stack.environment.region,
      template: stack.template,
    })),
  );
}

/** `cfn-lint` from PATH, or pyenv's shim where the machines keep it. */
export function cfnLintCommand(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), join(homedir(), '.pyenv', 'shims')];
  const found = dirs.map((d) => join(d, 'cfn-lint')).find((p) => existsSync(p));
  if (!found) throw new Error('cfn-lint is not installed: `pip install cfn-lint==1.51.0` (Python 3.11), or put ~/.pyenv/shims on PATH');
  return found;
}

interface RawFinding {
  Filename: string;
  Level: CfnLintFinding['level'];
  Location: { Path?: (string | number)[] };
  Message: string;
  Rule: { Id: string };
}

/**
 * Runs cfn-lint ONCE over all `files` (its start-up costs seconds), against the regions they deploy to, and returns
 * every finding with the config and stack it belongs to.
 */
export function cfnLint(files: readonly TemplateFile[]): CfnLintFinding[] {
  if (files.length === 0) return [];
  const regions = [...new Set(files.map((f) => f.region))];
  const run = spawnSync(cfnLintCommand(), ['--format', 'json', '--regions', ...regions, '--', ...files.map((f) => f.path)], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  // Exit status is a bit mask: 2 errors, 4 warnings, 8 informational; 1 means cfn-lint itself failed.
  if (run.error || run.status === null || (run.status & 1) === 1) {
    throw new Error(`cfn-lint failed (status ${run.status}): ${run.error?.message ?? run.stderr.trim().slice(0, 2000)}`);
  }
  const byPath = new Map(files.map((f) => [f.path, f]));
  return (JSON.parse(run.stdout || '[]') as RawFinding[]).map((raw) => {
    const file = byPath.get(raw.Filename);
    if (!file) throw new Error(`cfn-lint reported a file it was not given: ${raw.Filename}`);
    const path = (raw.Location.Path ?? []).map(String);
    return {
      rule: raw.Rule.Id,
      level: raw.Level,
      config: file.config,
      stack: file.stack,
      path: path.join('/'),
      resourceType: path[0] === 'Resources' && path[1] ? file.template.Resources[path[1]]?.Type : undefined,
      message: raw.Message,
    };
  });
}

/** One line per finding: rule, stack, resource path, message. */
export function formatFinding(f: CfnLintFinding): string {
  return `${f.rule} ${f.stack} ${f.path}${f.resourceType ? ` (${f.resourceType})` : ''}: ${f.message}`;
}
