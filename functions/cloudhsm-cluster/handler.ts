/**
 * Lambda entry points for the CloudHSM cluster custom resource (provider framework): `handler.onEvent` and
 * `handler.isComplete`. One client per container; the logic lives in the factories, which tests call with mocks.
 */
import { CloudHSMV2Client } from '@aws-sdk/client-cloudhsm-v2';
import { createIsComplete } from './is-complete';
import { newLogger } from './logger';
import { createOnEvent } from './on-event';

const client = new CloudHSMV2Client({});
const logger = newLogger();

export const onEvent = createOnEvent(client, logger);
export const isComplete = createIsComplete(client, logger);
