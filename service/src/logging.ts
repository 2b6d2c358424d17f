import type { FastifyServerOptions } from 'fastify';

/**
 * Structured JSON logs (pino) that carry no secrets: requests are logged as method, path
 * without query string (download links carry signatures), and status; headers and bodies never
 * reach the serializers, and redaction covers the top-level keys under which a header object,
 * credential or body could still be logged by accident. (Static paths only: wildcard paths cost
 * more per line than the rest of the request.)
 */
export const REDACTED_PATHS = [
  'headers',
  'req.headers',
  'res.headers',
  'authorization',
  'cookie',
  'password',
  'token',
  'attributes',
  'body',
  'err.config',
  'err.response',
];

export function loggerOptions(level: string, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level,
    base: { service: 'documents' },
    messageKey: 'message',
    formatters: { level: (label: string) => ({ level: label }) },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; url?: string; id?: string }) => ({ id: req.id, method: req.method, path: (req.url ?? '').split('?')[0] }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    ...(stream ? { stream } : {}),
  } as FastifyServerOptions['logger'];
}
