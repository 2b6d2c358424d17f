import type { FastifyServerOptions } from 'fastify';

/**
 * Structured JSON logs (pino) that carry no secrets: requests are logged as method, path
 * without query string (download links carry signatures), and status; headers and bodies never
 * reach the serializers, and redaction covers the paths where a header object could still
 * appear by accident.
 */
export const REDACTED_PATHS = [
  'req.headers',
  'headers',
  'authorization',
  'cookie',
  '*.authorization',
  '*.cookie',
  '*["set-cookie"]',
  '*["x-amzn-oidc-data"]',
  '*["x-amzn-oidc-accesstoken"]',
  '*["x-amzn-oidc-identity"]',
  'password',
  '*.password',
  'token',
  '*.token',
  'attributes',
  '*.attributes',
  'body',
  '*.body',
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
