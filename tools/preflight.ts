/**
 * `npm run preflight -- <config.yaml> [--environment <name>] [--profile <aws profile>]`:
 * read-only checks of each environment's account before anything is
 * deployed (identity, CDK bootstrap, account singletons, the certificate,
 * secrets, zone and keys the config names, and quotas). Credentials come from
 * the default chain (or the profile). Exits 0 only when a deployment can succeed.
 */
import { preflight } from './preflight/run';

preflight(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`preflight stopped: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    process.exit(2);
  },
);
