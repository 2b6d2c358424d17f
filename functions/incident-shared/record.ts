import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, ListObjectVersionsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { CaseRecord } from './case';
import type { IncidentClients, IncidentSettings } from './clients';
import { hasCode, refuse } from './errors';

export function sha256(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

export function serialise(record: CaseRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** Writes evidence encrypted with the evidence key. */
export async function putEvidence(
  clients: IncidentClients,
  settings: IncidentSettings,
  key: string,
  body: string | Uint8Array,
  contentType: string,
): Promise<void> {
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: settings.evidenceBucket,
      Key: key,
      Body: body,
      ContentType: contentType,
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: settings.evidenceKeyArn,
      ChecksumAlgorithm: 'SHA256',
    }),
  );
}

export async function exists(clients: IncidentClients, settings: IncidentSettings, key: string): Promise<boolean> {
  try {
    await clients.s3.send(new HeadObjectCommand({ Bucket: settings.evidenceBucket, Key: key }));
    return true;
  } catch (error) {
    if (hasCode(error, 'NotFound') || hasCode(error, 'NoSuchKey') || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

export async function readText(clients: IncidentClients, settings: IncidentSettings, key: string, versionId?: string): Promise<string> {
  const out = await clients.s3.send(new GetObjectCommand({ Bucket: settings.evidenceBucket, Key: key, VersionId: versionId }));
  return (await out.Body?.transformToString('utf8')) ?? '';
}

/**
 * Reads a case record and proves it is the one written when the case opened:
 * exactly one version of the object (a rewrite adds a version, which Object
 * Lock cannot stop), no delete marker, and a SHA-256 equal to the digest tagged
 * on the instance at opening. Refuses otherwise.
 */
export async function readVerifiedRecord(
  clients: IncidentClients,
  settings: IncidentSettings,
  key: string,
  expectedSha256: string | undefined,
): Promise<{ record: CaseRecord; body: string }> {
  const listed = await clients.s3.send(new ListObjectVersionsCommand({ Bucket: settings.evidenceBucket, Prefix: key }));
  const versions = (listed.Versions ?? []).filter((v) => v.Key === key);
  const markers = (listed.DeleteMarkers ?? []).filter((m) => m.Key === key);
  if (versions.length === 0) refuse(`case record ${key} is missing: release refused`);
  if (versions.length > 1 || markers.length > 0) {
    refuse(`case record ${key} was rewritten or deleted after the case opened (${versions.length} versions, ${markers.length} delete markers): release refused`);
  }
  const body = await readText(clients, settings, key, versions[0]!.VersionId);
  const digest = sha256(body);
  if (!expectedSha256) refuse(`the instance carries no record digest for ${key}: release refused`);
  if (digest !== expectedSha256) refuse(`case record ${key} does not match the digest taken when the case opened: release refused`);
  return { record: JSON.parse(body) as CaseRecord, body };
}
