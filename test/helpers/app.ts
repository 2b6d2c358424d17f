import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { buildApp, type BuiltApp } from '../../src/app';
import { validateConfig, type Config } from '../../src/config';

export const REPO_ROOT = join(__dirname, '..', '..');

/** An example config as a plain object, to be changed by a test before validation. */
export function exampleConfig(name: 'dev' | 'prod'): Record<string, unknown> {
  return parse(readFileSync(join(REPO_ROOT, 'config', `${name}.yaml`), 'utf8')) as Record<string, unknown>;
}

export type Mutator = (config: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The example config with `mutate` applied, validated. */
export function configFrom(name: 'dev' | 'prod', mutate?: Mutator): Config {
  const raw = exampleConfig(name);
  mutate?.(raw);
  return validateConfig(raw, `${name} (test)`);
}

export interface Synthesized {
  readonly built: BuiltApp;
  /** Templates of the first stage, by stack id (`Security`, `Network`, …). */
  readonly templates: Readonly<Record<string, Template>>;
  /** Raw templates, for assertions that walk every resource. */
  readonly json: Readonly<Record<string, { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }>>;
}

/**
 * Skips asset bundling (esbuild for every function and the service): the templates are the same but for asset
 * hashes, and a synth takes about 2 s instead of 9. Tests of bundle contents pass `{ bundle: true }`.
 */
export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] as string[] };

/** Synthesizes a config the way `npm run synth` does and returns the first stage's templates. */
export function synthesize(config: Config, options: { readonly bundle?: boolean } = {}): Synthesized {
  const context = { '@aws-cdk/core:failSynthOnValidationErrors': false, ...(options.bundle ? {} : SKIP_BUNDLING) };
  const built = buildApp(config, { context });
  const assembly = built.app.synth();
  const stage = built.stages[0]!;
  const stageAssembly = assembly.getNestedAssembly(stage.artifactId);
  const templates: Record<string, Template> = {};
  const json: Record<string, Synthesized['json'][string]> = {};
  for (const stack of stageAssembly.stacks) {
    const id = stack.hierarchicalId.split('/').pop()!;
    json[id] = stack.template;
    templates[id] = Template.fromJSON(stack.template);
  }
  return { built, templates, json };
}

const cache = new Map<string, Synthesized>();

/** `synthesize` of an unchanged example config, computed once per test file. */
export function synthesizeExample(name: 'dev' | 'prod'): Synthesized {
  let result = cache.get(name);
  if (!result) {
    result = synthesize(configFrom(name));
    cache.set(name, result);
  }
  return result;
}

/** Resources of one type in a raw template, as [logicalId, properties] pairs. */
export function resourcesOfType(template: Synthesized['json'][string], type: string): [string, Record<string, any>][] { // eslint-disable-line @typescript-eslint/no-explicit-any
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, r.Properties ?? {}]);
}
