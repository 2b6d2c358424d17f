import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { moto, resetMoto } from './moto';

describe('the moto helper', () => {
  test('serves real SDK calls, keeps state, and resets it', async () => {
    const server = await resetMoto();
    const s3 = new S3Client(server.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'moto-helper-check', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual(['moto-helper-check']);
    await resetMoto();
    expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    expect((await moto()).endpoint).toBe(server.endpoint);
  });
});
