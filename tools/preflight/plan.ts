import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { App } from 'aws-cdk-lib';
import { resolveEnvironments, type Config } from '../../src/config';
import featureFlags from '../../src/feature-flags.json';
import { WorkloadStage } from '../../src/stages/workload-stage';

type Resource = { Type: string; Properties?: Record<string, unknown> };

/** What one environment's synthesized templates would create: the figures the preflight compares with the account. */
export interface EnvironmentPlan {
  /** The highest `requiresBootstrapStackVersion` of the environment's stacks and asset manifests. */
  readonly requiredBootstrapVersion: number;
  /** Resources per CloudFormation type, over all of the environment's stacks. */
  readonly resourceCounts: Readonly<Record<string, number>>;
  /** Sum of `ReservedConcurrentExecutions` over the environment's functions. */
  readonly reservedConcurrency: number;
  /** The largest number of entries one network ACL has in one direction. */
  readonly maxNaclRulesPerDirection: number;
  /** Interface endpoints in the workload VPC. */
  readonly interfaceEndpoints: number;
}

/** Synthesizes the config (no credentials, no network) and summarizes each environment's templates, by environment name. */
export function planEnvironments(config: Config): Record<string, EnvironmentPlan> {
  const outdir = mkdtempSync(join(tmpdir(), 'sra-preflight-'));
  try {
    // The app as buildApp builds it, without the rule packs: only templates and manifests are read here.
    const app = new App({
      outdir,
      context: {
        ...featureFlags,
        '@aws-cdk/core:failSynthOnValidationErrors': false,
        // No function is bundled either.
        'aws:cdk:bundling-stacks': [],
      },
    });
    const stages = resolveEnvironments(config).map((settings) => new WorkloadStage(app, settings.name, { settings }));
    const assembly = app.synth();
    return Object.fromEntries(stages.map((stage) => [stage.node.id, summarize(assembly.getNestedAssembly(stage.artifactId))]));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function summarize(assembly: CloudAssembly): EnvironmentPlan {
  let requiredBootstrapVersion = 0;
  for (const artifact of assembly.artifacts) {
    const required = (artifact.manifest.properties as { requiresBootstrapStackVersion?: number } | undefined)?.requiresBootstrapStackVersion;
    if (typeof required === 'number') requiredBootstrapVersion = Math.max(requiredBootstrapVersion, required);
  }
  const resources = assembly.stacks.flatMap((stack) => Object.values((stack.template as { Resources?: Record<string, Resource> }).Resources ?? {}));
  const resourceCounts: Record<string, number> = {};
  for (const r of resources) resourceCounts[r.Type] = (resourceCounts[r.Type] ?? 0) + 1;
  const reservedConcurrency = resources
    .filter((r) => r.Type === 'AWS::Lambda::Function')
    .reduce((sum, r) => sum + (typeof r.Properties?.ReservedConcurrentExecutions === 'number' ? r.Properties.ReservedConcurrentExecutions : 0), 0);
  const perAcl = new Map<string, number>();
  for (const r of resources.filter((x) => x.Type === 'AWS::EC2::NetworkAclEntry')) {
    const key = `${JSON.stringify(r.Properties?.NetworkAclId)}/${r.Properties?.Egress === true ? 'out' : 'in'}`;
    perAcl.set(key, (perAcl.get(key) ?? 0) + 1);
  }
  const interfaceEndpoints = resources.filter((r) => r.Type === 'AWS::EC2::VPCEndpoint' && r.Properties?.VpcEndpointType === 'Interface').length;
  return { requiredBootstrapVersion, resourceCounts, reservedConcurrency, maxNaclRulesPerDirection: Math.max(0, ...perAcl.values()), interfaceEndpoints };
}

/** Whether the templates create at least one resource of `type`. */
export function creates(plan: EnvironmentPlan, type: string): boolean {
  return (plan.resourceCounts[type] ?? 0) > 0;
}
