import type { Pool, PoolClient } from 'pg';
import { isConnectionError, withClient } from '../../service/src/db/retry';

/** A pool whose clients record how they were released; connection failures come from `work`. */
function fakePool() {
  const released: (Error | undefined)[] = [];
  const pool = { connect: async () => ({ release: (error?: Error) => void released.push(error) }) as unknown as PoolClient } as unknown as Pool;
  return { pool, released };
}

const failure = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('withClient', () => {
  test('a terminated session and then a stale password are both ridden out, each broken client discarded', async () => {
    const { pool, released } = fakePool();
    const errors = [failure('57P01', 'terminating connection due to administrator command'), failure('28P01', 'password authentication failed')];
    let calls = 0;
    const result = await withClient(pool, async () => {
      const error = errors[calls++];
      if (error) throw error;
      return 'done';
    });
    expect(result).toBe('done');
    expect(calls).toBe(3);
    expect(released).toEqual([errors[0], errors[1], undefined]);
  });

  test('gives up after the third broken connection', async () => {
    const { pool } = fakePool();
    let calls = 0;
    await expect(
      withClient(pool, async () => {
        calls++;
        throw failure('ECONNRESET');
      }),
    ).rejects.toThrow('failed');
    expect(calls).toBe(3);
  });

  test('a failing statement is not retried', async () => {
    const { pool, released } = fakePool();
    let calls = 0;
    const error = failure('23505', 'duplicate key value');
    await expect(
      withClient(pool, async () => {
        calls++;
        throw error;
      }),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
    expect(released).toEqual([undefined]);
    expect(isConnectionError(error)).toBe(false);
  });
});
