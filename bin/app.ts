#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildApp } from '../src/app';
import { ConfigError, loadConfig } from '../src/config';

/**
 * CDK entry point. The config file comes from `-c config=...`, else the
 * SRA_CONFIG environment variable, else config/dev.yaml. cdk.json therefore
 * sets no `config` context: a value there would always win over SRA_CONFIG.
 * A bad config stops here, before any construct exists; an unacknowledged
 * rule-pack error stops synthesis.
 */
// A throwaway App reads the CLI's context; autoSynth off so it does not overwrite the real assembly on exit.
const context = new App({ autoSynth: false }).node.tryGetContext('config') as string | undefined;
const configPath = context ?? process.env.SRA_CONFIG ?? 'config/dev.yaml';
try {
  const { app } = buildApp(loadConfig(configPath));
  app.synth();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
