import type { FastifyError, FastifyInstance } from 'fastify';

/** An error whose message is safe to show to the caller. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The one error body shape: `{ "error": { "code", "message" } }`; no stack, no internals. */
export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

const FASTIFY_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad_request'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'bad_request'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'bad_request'],
};

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) return reply.code(error.statusCode).send(errorBody(error.code, error.message));
    if (error.validation) {
      const first = error.validation[0];
      const where = `${error.validationContext ?? 'request'}${first?.instancePath ?? ''}`;
      return reply.code(400).send(errorBody('invalid_request', `${where}: ${first?.message ?? 'is invalid'}`));
    }
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known) return reply.code(known[0]).send(errorBody(known[1], known[0] === 413 ? 'request body too large' : error.message));
    if (error.statusCode === 429) return reply.code(429).send(errorBody('rate_limited', 'too many requests, retry later'));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send(errorBody('bad_request', 'the request was refused'));
    }
    // Type and code only: driver messages can quote values from the request.
    request.log.error({ err: { type: error.name, code: error.code } }, 'request failed');
    return reply.code(500).send(errorBody('internal', 'internal error'));
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(errorBody('not_found', 'no such route')));
}
