import { Client } from 'pg';
import { freshDatabase, postgres } from './postgres';

describe('test PostgreSQL cluster', () => {
  it('answers over verified TLS and reports the session as encrypted', async () => {
    const { pg, database } = await freshDatabase('helper');
    const client = new Client(pg.clientConfig(database));
    await client.connect();
    const { rows } = await client.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    await client.end();
    expect(rows[0]?.ssl).toBe(true);
  });

  it('refuses a client that does not use TLS', async () => {
    const pg = await postgres();
    const client = new Client({ ...pg.clientConfig(), ssl: false });
    await expect(client.connect()).rejects.toThrow(/pg_hba|no encryption|SSL off/i);
  });

  it('refuses a client that does not trust the cluster CA', async () => {
    const pg = await postgres();
    const client = new Client({ ...pg.clientConfig(), ssl: { rejectUnauthorized: true } });
    await expect(client.connect()).rejects.toThrow(/certificate/i);
  });
});
