import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { Readable } from 'node:stream';
import { TOKEN_PATTERN } from '../../service/src/tokenization/vault';
import { detokenize } from '../../service/src/tokenization/detokenize';
import { startAlbKeyServer, type AlbKeyServer, type SigningIdentity } from './alb-tokens';
import { awsFixture, dbFixture, startService, type AwsFixture, type DbFixture, type TestService } from './support';

/** The documents API end to end: real PostgreSQL over TLS, S3/KMS/Secrets Manager/DynamoDB in moto, ALB-signed identities. */
describe('documents API', () => {
  let aws: AwsFixture;
  let db: DbFixture;
  let keys: AlbKeyServer;
  let alb: SigningIdentity;
  let service: TestService;
  const NATIONAL_ID = 'ZX-99887766';
  const DOB = '1980-02-29';
  const EMAIL = 'alice.private@example.org';

  const as = (sub: string) => ({ 'x-amzn-oidc-data': alb.token({ sub }) });
  const create = async (sub: string, body: unknown) => service.inject({ method: 'POST', url: '/documents', headers: as(sub), payload: body as object });
  const upload = async (sub: string, id: string, content: string | Buffer | Readable, contentType = 'text/plain') =>
    service.inject({ method: 'PUT', url: `/documents/${id}/content`, headers: { ...as(sub), 'content-type': contentType }, payload: content });

  beforeAll(async () => {
    [aws, db, keys] = await Promise.all([awsFixture(), dbFixture(), startAlbKeyServer()]);
    alb = keys.addKey();
    service = await startService(aws, db, { keys, env: { MAX_CONTENT_BYTES: String(64 * 1024), DATA_CLASSIFICATION: 'confidential', RATE_LIMIT_PER_MINUTE: '1000' } });
  });

  afterAll(async () => {
    await service.app.close();
    await keys.close();
  });

  test('create, upload, get, download, list and delete a document', async () => {
    const created = await create('alice', { title: 'Lease', attributes: { nationalId: NATIONAL_ID, dateOfBirth: DOB, email: EMAIL } });
    expect(created.statusCode).toBe(201);
    const doc = created.json<{ id: string; status: string; attributes: Record<string, string> }>();
    expect(doc.status).toBe('pending');
    // confidential: national id and date of birth leave the database; email stays.
    expect(doc.attributes.nationalId).toMatch(TOKEN_PATTERN);
    expect(doc.attributes.dateOfBirth).toMatch(TOKEN_PATTERN);
    expect(doc.attributes.email).toBe(EMAIL);

    const put = await upload('alice', doc.id, Readable.from([Buffer.from('hello '), Buffer.from('world')]));
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ status: 'stored', sizeBytes: 11, contentType: 'text/plain', sha256: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9' });

    const object = await aws.s3.send(new HeadObjectCommand({ Bucket: aws.bucket, Key: `app/documents/${doc.id}` }));
    expect(object.ServerSideEncryption).toBe('aws:kms');
    expect(object.SSEKMSKeyId).toBe(aws.keyArn);

    const got = await service.inject({ method: 'GET', url: `/documents/${doc.id}`, headers: as('alice') });
    expect(got.statusCode).toBe(200);
    const download = got.json<{ download: { url: string } }>().download;
    const content = await service.inject({ method: 'GET', url: download.url, headers: as('alice') });
    expect(content.statusCode).toBe(200);
    expect(content.body).toBe('hello world');
    expect(content.headers['content-disposition']).toBe('attachment');
    expect(content.headers['cache-control']).toBe('no-store');

    const list = await service.inject({ method: 'GET', url: '/documents', headers: as('alice') });
    expect(list.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(doc.id);

    const deleted = await service.inject({ method: 'DELETE', url: `/documents/${doc.id}`, headers: as('alice') });
    expect(deleted.statusCode).toBe(204);
    expect((await service.inject({ method: 'GET', url: `/documents/${doc.id}`, headers: as('alice') })).statusCode).toBe(404);
    const left = await aws.s3.send(new ListObjectsV2Command({ Bucket: aws.bucket, Prefix: `app/documents/${doc.id}` }));
    expect(left.KeyCount ?? 0).toBe(0);
  });

  test('a user cannot read, download, list, overwrite or delete another user’s document', async () => {
    const doc = (await create('alice', { title: 'Alice only' })).json<{ id: string }>();
    await upload('alice', doc.id, 'secret plans');
    const link = (await service.inject({ method: 'GET', url: `/documents/${doc.id}`, headers: as('alice') })).json<{ download: { url: string } }>().download.url;

    expect((await service.inject({ method: 'GET', url: `/documents/${doc.id}`, headers: as('bob') })).statusCode).toBe(404);
    expect((await service.inject({ method: 'GET', url: link, headers: as('bob') })).statusCode).toBe(403);
    expect((await upload('bob', doc.id, 'overwrite')).statusCode).toBe(404);
    expect((await service.inject({ method: 'DELETE', url: `/documents/${doc.id}`, headers: as('bob') })).statusCode).toBe(404);
    const bobs = (await service.inject({ method: 'GET', url: '/documents', headers: as('bob') })).json<{ items: { id: string }[] }>();
    expect(bobs.items.map((i) => i.id)).not.toContain(doc.id);
    // Still there for its owner.
    expect((await service.inject({ method: 'GET', url: link, headers: as('alice') })).body).toBe('secret plans');
  });

  test('download links are bound to their signature and expiry', async () => {
    const doc = (await create('alice', { title: 'Signed' })).json<{ id: string }>();
    await upload('alice', doc.id, 'x');
    const url = (await service.inject({ method: 'GET', url: `/documents/${doc.id}`, headers: as('alice') })).json<{ download: { url: string } }>().download.url;
    const tampered = url.replace(/signature=(.)/, (_m, c: string) => `signature=${c === 'A' ? 'B' : 'A'}`);
    expect((await service.inject({ method: 'GET', url: tampered, headers: as('alice') })).statusCode).toBe(403);
    const later = url.replace(/expires=(\d+)/, (_m, e: string) => `expires=${Number(e) + 1}`);
    expect((await service.inject({ method: 'GET', url: later, headers: as('alice') })).statusCode).toBe(403);
    const expired = url.replace(/expires=(\d+)/, 'expires=1000');
    expect((await service.inject({ method: 'GET', url: expired, headers: as('alice') })).statusCode).toBe(403);
  });

  test('lists page through own documents with an opaque cursor', async () => {
    for (let i = 0; i < 5; i++) await create('carol', { title: `page ${i}` });
    const seen: string[] = [];
    let url = '/documents?limit=2';
    for (;;) {
      const page = (await service.inject({ method: 'GET', url, headers: as('carol') })).json<{ items: { title: string }[]; next?: string }>();
      seen.push(...page.items.map((i) => i.title));
      if (!page.next) break;
      url = `/documents?limit=2&cursor=${page.next}`;
    }
    expect(seen.sort()).toEqual(['page 0', 'page 1', 'page 2', 'page 3', 'page 4']);
    const bad = await service.inject({ method: 'GET', url: '/documents?cursor=bm90LWEtY3Vyc29y', headers: as('carol') });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: { code: 'invalid_request', message: 'querystring/cursor: not a cursor returned by this API' } });
  });

  test('tokenized values never reach PostgreSQL, list responses or logs; the vault holds them for the detokenize path only', async () => {
    const doc = (await create('dave', { title: 'Passport', attributes: { nationalId: NATIONAL_ID, dateOfBirth: DOB } })).json<{ id: string; attributes: Record<string, string> }>();
    const admin = await db.admin();
    try {
      const dump = await admin.query<{ row: string }>('SELECT row_to_json(d)::text AS row FROM app.documents d');
      const all = dump.rows.map((r) => r.row).join('\n');
      expect(all).toContain(doc.attributes.nationalId!);
      expect(all).not.toContain(NATIONAL_ID);
      expect(all).not.toContain(DOB);
    } finally {
      await admin.end();
    }
    const list = await service.inject({ method: 'GET', url: '/documents', headers: as('dave') });
    expect(list.body).not.toContain(NATIONAL_ID);
    expect(list.body).not.toContain('tok_');
    expect(service.logs.text).not.toContain(NATIONAL_ID);
    expect(service.logs.text).not.toContain(DOB);

    const vault = await aws.dynamodb.send(new ScanCommand({ TableName: aws.tableName }));
    expect(vault.Items?.some((i) => i.value?.S === NATIONAL_ID && i.owner?.S === 'dave')).toBe(true);
    expect(await detokenize(aws.dynamodb, aws.tableName, doc.attributes.nationalId!, 'dave')).toBe(NATIONAL_ID);
    expect(await detokenize(aws.dynamodb, aws.tableName, doc.attributes.nationalId!, 'mallory')).toBeUndefined();
  });

  test('SQL injection attempts are inert', async () => {
    const hostile = ["'; DROP TABLE app.documents; --", "x' OR '1'='1", "Robert'); DELETE FROM app.documents;--"];
    for (const title of hostile) {
      const r = await create('eve', { title });
      expect(r.statusCode).toBe(201);
      expect(r.json<{ title: string }>().title).toBe(title);
    }
    expect((await service.inject({ method: 'GET', url: "/documents/1' OR '1'='1", headers: as('eve') })).statusCode).toBe(400);
    expect((await service.inject({ method: 'GET', url: "/documents?limit=1;DROP%20TABLE%20x", headers: as('eve') })).statusCode).toBe(400);
    // Injection in the identity itself (the OIDC subject) is data too.
    const sneaky = await service.inject({ method: 'GET', url: '/documents', headers: as("eve' OR owner <> '") });
    expect(sneaky.statusCode).toBe(200);
    expect(sneaky.json<{ items: unknown[] }>().items).toEqual([]);
    const admin = await db.admin();
    try {
      const { rows } = await admin.query<{ n: string }>('SELECT count(*) AS n FROM app.documents');
      expect(Number(rows[0]!.n)).toBeGreaterThan(3);
    } finally {
      await admin.end();
    }
  });

  test('oversized, unlisted and malformed input is refused with a uniform error body', async () => {
    const doc = (await create('frank', { title: 'Big' })).json<{ id: string }>();
    const big = Buffer.alloc(64 * 1024 + 1, 'a');
    const declared = await upload('frank', doc.id, big);
    expect(declared.statusCode).toBe(413);
    expect(declared.json()).toEqual({ error: { code: 'payload_too_large', message: 'content is limited to 65536 bytes' } });
    // No Content-Length (chunked): refused while streaming, nothing kept.
    const streamed = await upload('frank', doc.id, Readable.from([big.subarray(0, 40_000), big.subarray(40_000)]));
    expect(streamed.statusCode).toBe(413);
    expect((await service.inject({ method: 'GET', url: `/documents/${doc.id}`, headers: as('frank') })).json<{ status: string }>().status).toBe('pending');

    const exe = await upload('frank', doc.id, 'MZ', 'application/x-msdownload');
    expect(exe.statusCode).toBe(415);
    expect(exe.json<{ error: { code: string } }>().error.code).toBe('unsupported_media_type');

    const hugeJson = await service.inject({ method: 'POST', url: '/documents', headers: as('frank'), payload: { title: 'x', pad: 'y'.repeat(20_000) } });
    expect(hugeJson.statusCode).toBe(413);
    const extra = await create('frank', { title: 'x', owner: 'alice' });
    expect(extra.statusCode).toBe(400);
    expect(extra.json<{ error: { message: string } }>().error.message).toMatch(/^body/);
    const badId = await create('frank', { title: 'x', attributes: { nationalId: "1'; --" } });
    expect(badId.statusCode).toBe(400);
    const broken = await service.inject({ method: 'POST', url: '/documents', headers: { ...as('frank'), 'content-type': 'application/json' }, payload: '{"title":' });
    expect(broken.statusCode).toBe(400);
    for (const r of [declared, exe, hugeJson, extra, broken]) {
      expect(Object.keys(r.json())).toEqual(['error']);
      expect(r.body).not.toMatch(/stack|at \w+ \(|node_modules/);
    }
  });

  test('answers with security headers', async () => {
    const r = await service.inject({ method: 'GET', url: '/documents', headers: as('grace') });
    expect(r.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
    expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(r.headers['x-powered-by']).toBeUndefined();
  });

  test('logs are JSON and carry no token, header, cookie or content', async () => {
    const token = alb.token({ sub: 'heidi' });
    const doc = (
      await service.inject({ method: 'POST', url: '/documents', headers: { 'x-amzn-oidc-data': token, cookie: 'AWSELBAuthSessionCookie-0=SESSIONSECRET', authorization: 'Bearer AUTHSECRET' }, payload: { title: 'Log check', attributes: { nationalId: NATIONAL_ID } } })
    ).json<{ id: string }>();
    await upload('heidi', doc.id, 'CONTENT-MARKER-4711');
    const url = (await service.inject({ method: 'GET', url: `/documents/${doc.id}`, headers: as('heidi') })).json<{ download: { url: string } }>().download.url;
    await service.inject({ method: 'GET', url, headers: as('heidi') });
    await service.inject({ method: 'GET', url: '/documents', headers: { 'x-amzn-oidc-data': 'not-a-jwt', 'x-amzn-oidc-accesstoken': 'ACCESSSECRET', 'x-amzn-oidc-identity': 'heidi' } });

    expect(service.logs.lines.length).toBeGreaterThan(5);
    for (const line of service.logs.lines) expect(() => JSON.parse(line)).not.toThrow();
    const text = service.logs.text;
    for (const secret of [token, token.split('.')[2]!, 'SESSIONSECRET', 'AUTHSECRET', 'ACCESSSECRET', 'CONTENT-MARKER-4711', NATIONAL_ID, 'signature=', url.split('signature=')[1]!]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/x-amzn-oidc|cookie|authorization/i);
    // It does log what operations need.
    expect(text).toContain(`/documents/${doc.id}/content`);
  });

  test('rate limits each verified identity separately', async () => {
    const limited = await startService(aws, db, { keys, env: { RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await limited.inject({ method: 'GET', url: '/documents', headers: as('ivan') })).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const other = await limited.inject({ method: 'GET', url: '/documents', headers: as('judy') });
      expect(other.statusCode).toBe(200);
      const refused = await limited.inject({ method: 'GET', url: '/documents', headers: as('ivan') });
      expect(refused.json()).toEqual({ error: { code: 'rate_limited', message: 'too many requests, retry later' } });
    } finally {
      await limited.app.close();
    }
  });
});
