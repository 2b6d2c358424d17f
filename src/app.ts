import { App, type AppProps } from 'aws-cdk-lib';
import { addComplianceGate, ComplianceFindings } from './compliance';
import { resolveEnvironments, type Config } from './config';
import featureFlags from './feature-flags.json';
import { WorkloadStage } from './stages/workload-stage';

export interface BuiltApp {
  readonly app: App;
  readonly stages: readonly WorkloadStage[];
  /** Filled in by the rule packs when the app synthesizes. */
  readonly findings: ComplianceFindings;
}

/**
 * Builds one stage per environment of a validated config, each checked by the
 * four rule packs. Feature flags are fixed here, not read from cdk.json, so
 * tests, `npm run synth` and `cdk deploy` produce the same templates.
 */
export function buildApp(config: Config, props: AppProps = {}): BuiltApp {
  const app = new App({ ...props, context: { ...featureFlags, ...props.context } });
  const findings = new ComplianceFindings();
  const stages = resolveEnvironments(config).map((settings) => {
    const stage = new WorkloadStage(app, settings.name, { settings });
    addComplianceGate(stage, findings);
    return stage;
  });
  return { app, stages, findings };
}
