import type { FastifyInstance, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Classification } from '../config';
import type { DocumentStore } from '../db/documents';
import { HttpError } from '../errors';
import { signDownload, verifyDownload } from '../secrets/download-links';
import type { SigningKey } from '../secrets/signing-key';
import { ContentTooLargeError, type ObjectStore } from '../storage/objects';
import type { SensitiveField } from '../tokenization/policy';
import type { TokenVault } from '../tokenization/vault';

/** Content types a document may have; anything else is refused with 415 before a byte is read. */
export const ALLOWED_CONTENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'text/plain', 'text/csv', 'application/octet-stream'] as const;

/** JSON bodies (metadata) are small; content never goes through the JSON parser. */
export const METADATA_BODY_LIMIT = 16 * 1024;

export interface DocumentRoutesOptions {
  store: DocumentStore;
  objects: ObjectStore;
  vault: TokenVault;
  signingKey: SigningKey;
  classification: Classification;
  maxContentBytes: number;
}

const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;

const attributesSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    nationalId: { type: 'string', pattern: '^[A-Za-z0-9 -]{4,32}$' },
    dateOfBirth: { type: 'string', format: 'date' },
    email: { type: 'string', format: 'email', maxLength: 254 },
  },
} as const;

const createBody = {
  type: 'object',
  required: ['title'],
  additionalProperties: false,
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001f]*$' },
    attributes: attributesSchema,
  },
} as const;

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    cursor: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,200}$' },
  },
} as const;

const contentQuery = {
  type: 'object',
  required: ['expires', 'signature'],
  additionalProperties: false,
  properties: {
    expires: { type: 'integer', minimum: 0 },
    signature: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
  },
} as const;

const summary = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'string' },
    contentType: { type: ['string', 'null'] },
    sizeBytes: { type: ['number', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

const detail = {
  type: 'object',
  properties: {
    ...summary.properties,
    sha256: { type: ['string', 'null'] },
    attributes: { type: 'object', additionalProperties: { type: 'string' } },
    upload: { type: 'string' },
    download: { type: 'object', properties: { url: { type: 'string' }, expires: { type: 'integer' } } },
  },
} as const;

const notFound = () => new HttpError(404, 'not_found', 'no such document');

function owner(request: FastifyRequest): string {
  if (!request.identity) throw new HttpError(401, 'unauthenticated', 'a valid identity is required');
  return request.identity.sub;
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { c?: unknown; i?: unknown };
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const ts = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
    if (typeof parsed.c === 'string' && ts.test(parsed.c) && typeof parsed.i === 'string' && uuid.test(parsed.i)) return { createdAt: parsed.c, id: parsed.i };
  } catch {
    // falls through to the uniform error
  }
  throw new HttpError(400, 'invalid_request', 'querystring/cursor: not a cursor returned by this API');
}

const encodeCursor = (next: { createdAt: string; id: string }) => Buffer.from(JSON.stringify({ c: next.createdAt, i: next.id })).toString('base64url');

export async function documentRoutes(app: FastifyInstance, options: DocumentRoutesOptions): Promise<void> {
  const { store, objects, vault, signingKey } = options;

  app.post<{ Body: { title: string; attributes?: Partial<Record<SensitiveField, string>> } }>(
    '/documents',
    { schema: { body: createBody, response: { 201: detail } }, bodyLimit: METADATA_BODY_LIMIT },
    async (request, reply) => {
      const sub = owner(request);
      const id = randomUUID();
      const attributes = await vault.protect(request.body.attributes ?? {}, options.classification, sub);
      const row = await store.insert({ id, owner: sub, title: request.body.title, attributes, classification: options.classification, objectKey: objects.keyFor(id) });
      return reply.code(201).send({ ...row, upload: `/documents/${id}/content` });
    },
  );

  app.get<{ Querystring: { limit: number; cursor?: string } }>(
    '/documents',
    { schema: { querystring: listQuery, response: { 200: { type: 'object', properties: { items: { type: 'array', items: summary }, next: { type: 'string' } } } } } },
    async (request) => {
      const page = await store.list(owner(request), request.query.limit, request.query.cursor ? decodeCursor(request.query.cursor) : undefined);
      return { items: page.items, ...(page.next ? { next: encodeCursor(page.next) } : {}) };
    },
  );

  app.get<{ Params: { id: string } }>('/documents/:id', { schema: { params: idParams, response: { 200: detail } } }, async (request) => {
    const sub = owner(request);
    const row = await store.get(sub, request.params.id);
    if (!row) throw notFound();
    return { ...row, ...(row.status === 'stored' ? { download: await signDownload(signingKey, sub, row.id) } : { upload: `/documents/${row.id}/content` }) };
  });

  app.get<{ Params: { id: string }; Querystring: { expires: number; signature: string } }>(
    '/documents/:id/content',
    { schema: { params: idParams, querystring: contentQuery } },
    async (request, reply) => {
      const sub = owner(request);
      if (!(await verifyDownload(signingKey, sub, request.params.id, request.query.expires, request.query.signature))) {
        throw new HttpError(403, 'forbidden', 'the download link is invalid or expired');
      }
      const row = await store.get(sub, request.params.id);
      if (!row || row.status !== 'stored') throw notFound();
      const object = await objects.get(row.objectKey);
      reply.header('content-type', row.contentType ?? 'application/octet-stream');
      reply.header('content-disposition', 'attachment');
      reply.header('cache-control', 'no-store');
      if (object.contentLength !== undefined) reply.header('content-length', object.contentLength);
      return reply.send(object.body);
    },
  );

  app.delete<{ Params: { id: string } }>('/documents/:id', { schema: { params: idParams } }, async (request, reply) => {
    const sub = owner(request);
    const row = await store.get(sub, request.params.id);
    if (!row) throw notFound();
    await objects.delete(row.objectKey);
    await store.delete(sub, row.id);
    return reply.code(204).send();
  });

  // Content upload: its own context, where the allow-listed types are passed through as a raw
  // stream (never buffered, never parsed) and every other type is refused with 415.
  await app.register(async (content) => {
    content.removeAllContentTypeParsers();
    content.addContentTypeParser([...ALLOWED_CONTENT_TYPES], (_request, payload, done) => done(null, payload));
    content.put<{ Params: { id: string } }>('/documents/:id/content', { schema: { params: idParams, response: { 200: detail } } }, async (request) => {
      const sub = owner(request);
      const declared = Number(request.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > options.maxContentBytes) {
        throw new HttpError(413, 'payload_too_large', `content is limited to ${options.maxContentBytes} bytes`);
      }
      const row = await store.get(sub, request.params.id);
      if (!row) throw notFound();
      if (row.status === 'stored') throw new HttpError(409, 'conflict', 'content is already stored; create a new document');
      const contentType = String(request.headers['content-type']).split(';')[0]!.trim().toLowerCase();
      try {
        const stored = await objects.put(row.objectKey, request.raw, contentType, options.maxContentBytes);
        const updated = await store.markStored(sub, row.id, { contentType, ...stored });
        if (!updated) throw notFound();
        return updated;
      } catch (error) {
        if (error instanceof ContentTooLargeError) throw new HttpError(413, 'payload_too_large', `content is limited to ${options.maxContentBytes} bytes`);
        throw error;
      }
    });
  });
}
