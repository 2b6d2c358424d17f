export interface MacieProperties {
  readonly bucketName: string;
  /** Folder of the bucket, without slashes at either end. */
  readonly keyPrefix: string;
  readonly kmsKeyArn: string;
}

const KNOWN = ['BucketName', 'KeyPrefix', 'KmsKeyArn'];
const RESERVED = ['ServiceToken', 'ServiceTimeout'];

/** Validates the custom resource's properties; unknown keys fail, so a typo does not fall back to a default. */
export function parseProperties(raw: Record<string, unknown> | undefined): MacieProperties {
  const props = raw ?? {};
  const unknown = Object.keys(props).filter((key) => !KNOWN.includes(key) && !RESERVED.includes(key));
  if (unknown.length > 0) throw new Error(`Unknown property ${unknown.join(', ')}; allowed: ${KNOWN.join(', ')}.`);
  const { BucketName, KeyPrefix, KmsKeyArn } = props;
  if (typeof BucketName !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(BucketName)) {
    throw new Error(`Property BucketName must be an S3 bucket name, got ${JSON.stringify(BucketName)}.`);
  }
  if (typeof KeyPrefix !== 'string' || !/^[\w!.*'()-]+(\/[\w!.*'()-]+)*$/.test(KeyPrefix)) {
    throw new Error(`Property KeyPrefix must be a folder like "macie" (no leading or trailing slash), got ${JSON.stringify(KeyPrefix)}.`);
  }
  // Macie requires a symmetric customer managed key, named by ARN (an alias is refused).
  if (typeof KmsKeyArn !== 'string' || !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/.test(KmsKeyArn)) {
    throw new Error(`Property KmsKeyArn must be a KMS key ARN (not an alias), got ${JSON.stringify(KmsKeyArn)}.`);
  }
  return { bucketName: BucketName, keyPrefix: KeyPrefix, kmsKeyArn: KmsKeyArn };
}
