import { accessAnalyzers } from './access-analyzers';
import { bootstrap } from './bootstrap';
import { certificate } from './certificate';
import { configRecorder } from './config-recorder';
import { configServiceLinkedRole } from './config-service-linked-role';
import { elasticIps } from './elastic-ips';
import { guardDutyDetector } from './guardduty-detector';
import { hostedZone } from './hosted-zone';
import { interfaceEndpoints } from './interface-endpoints';
import { keyAdministrators } from './key-administrators';
import { keys } from './keys';
import { lambdaConcurrency } from './lambda-concurrency';
import { naclRules } from './nacl-rules';
import { secrets } from './secrets';
import { securityHub } from './security-hub';
import { sessionPreferences } from './session-preferences';
import type { Check } from './types';

/** Every check after the identity check, in report order, by the name a failure to run is reported under. */
export const CHECKS: readonly [string, Check][] = [
  ['cdk-bootstrap', bootstrap],
  ['guardduty-detector', guardDutyDetector],
  ['security-hub', securityHub],
  ['config-recorder', configRecorder],
  ['config-service-linked-role', configServiceLinkedRole],
  ['access-analyzer', accessAnalyzers],
  ['session-preferences', sessionPreferences],
  ['certificate', certificate],
  ['hosted-zone', hostedZone],
  ['secret', secrets],
  ['kms-key', keys],
  ['key-administrator', keyAdministrators],
  ['quota-elastic-ips', elasticIps],
  ['quota-interface-endpoints', interfaceEndpoints],
  ['quota-lambda-concurrency', lambdaConcurrency],
  ['quota-nacl-rules', naclRules],
];
