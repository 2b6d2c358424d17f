import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';

export class ContentTooLargeError extends Error {
  override readonly name = 'ContentTooLargeError';
}

/**
 * Document content in S3 under the service's prefix, always encrypted with the data key
 * (the bucket policy refuses any other). Uploads stream in 5 MiB parts, so memory stays
 * bounded whatever the size; the byte count is enforced while streaming.
 */
export class ObjectStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
    private readonly keyArn: string,
  ) {}

  keyFor(id: string): string {
    return `${this.prefix}documents/${id}`;
  }

  async put(key: string, body: Readable, contentType: string, maxBytes: number): Promise<{ sizeBytes: number; sha256: string }> {
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) return done(new ContentTooLargeError(`content exceeds ${maxBytes} bytes`));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    body.on('error', (error) => meter.destroy(error));
    body.pipe(meter);
    const upload = new Upload({
      client: this.s3,
      params: {
        Bucket: this.bucket,
        Key: key,
        Body: meter,
        ContentType: contentType,
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: this.keyArn,
        BucketKeyEnabled: true,
      },
      queueSize: 2,
      partSize: 5 * 1024 * 1024,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      if (size > maxBytes) throw new ContentTooLargeError(`content exceeds ${maxBytes} bytes`);
      throw error;
    }
    return { sizeBytes: size, sha256: hash.digest('hex') };
  }

  async get(key: string): Promise<{ body: Readable; contentLength?: number }> {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return { body: out.Body as Readable, ...(out.ContentLength !== undefined ? { contentLength: out.ContentLength } : {}) };
  }

  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async ready(): Promise<void> {
    await this.s3.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }
}
