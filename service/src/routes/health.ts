import type { FastifyInstance } from 'fastify';

export type ReadinessCheck = () => Promise<boolean>;

/** How long one readiness check may take before it counts as failed (target group checks time out at 5 s). */
const CHECK_TIMEOUT_MS = 2_000;

async function passes(check: ReadinessCheck): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/health/live`: the process answers. `/health/ready` (the target group's check): every
 * dependency answers; 503 naming the failing ones otherwise, without error details.
 */
export async function healthRoutes(app: FastifyInstance, checks: Record<string, ReadinessCheck>): Promise<void> {
  app.get('/health/live', { config: { rateLimit: false } }, async () => ({ status: 'live' }));
  app.get('/health/ready', { config: { rateLimit: false } }, async (_request, reply) => {
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((name) => passes(checks[name]!)));
    const status = Object.fromEntries(names.map((name, i) => [name, results[i] ? 'ok' : 'failing']));
    const ready = results.every(Boolean);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: status });
  });
}
