import { join } from 'node:path';
import { NagPack } from 'cdk-nag';
import { buildApp } from '../../src/app';
import { listAcknowledgements, summarize, type PackSummary } from '../../src/compliance';
import type { Finding } from '../../src/compliance/findings';
import { resolveEnvironments, type Config, type EnvironmentSettings } from '../../src/config';

/** A CloudFormation template as the report reads it. */
export interface Template {
  readonly Resources: Readonly<Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>>;
}

export interface ReportStack {
  /** Environment (stage) name, e.g. `dev`. */
  readonly stage: string;
  /** Stack id inside the stage, e.g. `Network`. */
  readonly id: string;
  readonly stackName: string;
  readonly region: string;
  readonly templatePath: string;
  readonly template: Template;
  /** Template size as written (pretty-printed JSON), and minified as CloudFormation could be sent it. */
  readonly bytes: number;
  readonly minifiedBytes: number;
}

export interface Acknowledgement {
  readonly pack: string;
  readonly rule: string;
  readonly path: string;
  readonly reason: string;
}

export interface ReportInput {
  readonly configPath: string;
  readonly config: Config;
  readonly environments: readonly EnvironmentSettings[];
  readonly stacks: readonly ReportStack[];
  readonly packs: readonly PackSummary[];
  /** Distinct rules each pack evaluated on at least one resource. */
  readonly rulesEvaluated: Readonly<Record<string, number>>;
  readonly findings: readonly Finding[];
  readonly acknowledgements: readonly Acknowledgement[];
}

/**
 * Synthesizes `config` into `outdir` the way `npm run synth` does, without bundling assets (templates are the same
 * but for asset hashes, and the report never deploys them), and gathers what the report shows.
 */
export function synthesizeForReport(configPath: string, config: Config, outdir: string): ReportInput {
  const context = { '@aws-cdk/core:failSynthOnValidationErrors': false, 'aws:cdk:bundling-stacks': [] as string[] };
  const { app, findings } = buildApp(config, { outdir, context });
  const rules = new Map<string, Set<string>>();
  // cdk-nag has no list of a pack's rules; every rule passes through applyRule, so count there, for this synth only.
  const proto = NagPack.prototype as unknown as { applyRule: (params: { rule: { name: string }; ruleSuffixOverride?: string }) => void; readPackName: string };
  const original = proto.applyRule;
  proto.applyRule = function (this: typeof proto, params) {
    const pack = this.readPackName;
    if (!rules.has(pack)) rules.set(pack, new Set());
    rules.get(pack)!.add(params.ruleSuffixOverride ?? params.rule.name);
    return original.call(this, params);
  };
  let assembly;
  try {
    assembly = app.synth();
  } finally {
    proto.applyRule = original;
  }
  const stacks: ReportStack[] = assembly.nestedAssemblies.flatMap((nested) =>
    nested.nestedAssembly.stacks.map((stack) => {
      const text = JSON.stringify(stack.template, null, 1);
      return {
        stage: nested.displayName ?? nested.id,
        id: stack.hierarchicalId.split('/').pop()!,
        stackName: stack.stackName,
        region: stack.environment.region,
        templatePath: stack.templateFullPath,
        template: stack.template as Template,
        bytes: Buffer.byteLength(text),
        minifiedBytes: Buffer.byteLength(JSON.stringify(stack.template)),
      };
    }),
  );
  const acknowledgements = listAcknowledgements(app).map((a) => ({ pack: a.pack, rule: a.id, path: a.path, reason: a.reason }));
  return {
    configPath,
    config,
    environments: resolveEnvironments(config),
    stacks,
    packs: summarize(app, findings),
    rulesEvaluated: Object.fromEntries([...rules].map(([pack, ids]) => [pack, ids.size])),
    findings: findings.all,
    acknowledgements,
  };
}

export const reportDir = (root: string) => join(root, 'cdk.out', 'report');
