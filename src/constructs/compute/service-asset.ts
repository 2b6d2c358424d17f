import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AssetHashType } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { buildSync } from 'esbuild';
import { Construct } from 'constructs';
import type { FleetServiceBundle } from './fleet-user-data';

const SERVICE_ROOT = join(__dirname, '..', '..', '..', 'service');

/** The service's entry point, bundled with everything it imports into one file. */
export const SERVICE_ENTRY = join(SERVICE_ROOT, 'src', 'main.ts');
/** The RDS CA bundle pinned with the service; shipped beside the bundle for certificate verification. */
export const SERVICE_CA_BUNDLE = join(SERVICE_ROOT, 'certs', 'rds-global-bundle.pem');

/** Names inside the archive, relative to the directory it is unpacked into. */
export const BUNDLE_MAIN = 'server.js';
export const BUNDLE_CA = 'rds-global-bundle.pem';

export interface ServiceBundle {
  /** The gzipped tar archive. */
  readonly archive: string;
  /** SHA-256 of the archive, hex: the fleet checks the download against it. */
  readonly sha256: string;
  /** Whether the archive holds the RDS CA bundle. */
  readonly hasCaBundle: boolean;
}

const built = new Map<string, ServiceBundle>();

/**
 * Bundles the service with esbuild from node_modules (no Docker, no network)
 * into a reproducible archive: the same sources give the same bytes, so the
 * asset and the instances only change when the service does. Built once per
 * process and entry.
 */
export function buildServiceBundle(entry: string = SERVICE_ENTRY, caBundle: string = SERVICE_CA_BUNDLE): ServiceBundle {
  const cached = built.get(`${entry}\0${caBundle}`);
  if (cached) return cached;
  if (!existsSync(entry)) throw new Error(`The service entry ${entry} does not exist; the fleet has nothing to run`);
  const work = mkdtempSync(join(tmpdir(), 'sra-service-'));
  const content = join(work, 'content');
  mkdirSync(content);
  buildSync({
    entryPoints: [entry],
    outfile: join(content, BUNDLE_MAIN),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    // pg's optional native binding is never used: the service runs the pure JavaScript client.
    external: ['pg-native'],
    logLevel: 'error',
  });
  const hasCaBundle = existsSync(caBundle);
  if (hasCaBundle) copyFileSync(caBundle, join(content, BUNDLE_CA));
  const tar = execFileSync('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '--format=ustar', '-C', content, '-cf', '-', '.'], {
    maxBuffer: 256 * 1024 * 1024,
  });
  // gzip from zlib writes no file name or time, so the archive is reproducible.
  const archiveBytes = gzipSync(tar, { level: 9 });
  const archive = join(work, 'service.tar.gz');
  writeFileSync(archive, archiveBytes);
  const bundle = { archive, sha256: createHash('sha256').update(readFileSync(archive)).digest('hex'), hasCaBundle };
  built.set(`${entry}\0${caBundle}`, bundle);
  return bundle;
}

export interface ServiceAssetProps {
  /** @default SERVICE_ENTRY */
  readonly entry?: string;
  /** @default SERVICE_CA_BUNDLE (left out of the archive when the file does not exist) */
  readonly caBundle?: string;
}

/** The bundled service as a file asset in the CDK bootstrap bucket, and the one read the fleet needs on it. */
export class ServiceAsset extends Construct {
  readonly asset: s3assets.Asset;
  /** SHA-256 of the archive, hex. */
  readonly sha256: string;
  readonly hasCaBundle: boolean;

  constructor(scope: Construct, id: string, props: ServiceAssetProps = {}) {
    super(scope, id);
    const bundle = buildServiceBundle(props.entry, props.caBundle);
    this.sha256 = bundle.sha256;
    this.hasCaBundle = bundle.hasCaBundle;
    this.asset = new s3assets.Asset(this, 'Bundle', { path: bundle.archive, assetHash: bundle.sha256, assetHashType: AssetHashType.CUSTOM });
  }

  /** Where the fleet downloads the archive from, and the digest it checks. */
  get bundle(): FleetServiceBundle {
    return { bucketName: this.asset.s3BucketName, objectKey: this.asset.s3ObjectKey, sha256: this.sha256 };
  }

  /** s3:GetObject on this asset's object and nothing else (the bootstrap bucket's SSE uses the AWS managed S3 key by default). */
  grantDownload(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject'],
      resourceArns: [this.asset.bucket.arnForObjects(this.asset.s3ObjectKey)],
    });
  }
}
