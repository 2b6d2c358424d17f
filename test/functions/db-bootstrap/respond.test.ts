import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { respond, runAndAnswer } from '../../../functions/db-bootstrap/respond';

interface Received {
  method?: string;
  contentType?: string;
  body: string;
}

let server: Server;
let received: Received[] = [];
let status = 200;

function event(url: string): CloudFormationCustomResourceEvent {
  return {
    RequestType: 'Create',
    ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:bootstrap',
    ResponseURL: url,
    StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/data/1',
    RequestId: 'request-1',
    LogicalResourceId: 'DatabaseBootstrap',
    ResourceType: 'Custom::DatabaseBootstrap',
    ResourceProperties: { ServiceToken: 'x' },
  };
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ method: request.method, contentType: request.headers['content-type'], body });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
  status = 200;
});

const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/presigned?X-Amz-Signature=abc`;

describe('the answer to CloudFormation', () => {
  test('success: a PUT with no content type, naming the request, the resource and its data', async () => {
    await respond(event(url()), { status: 'SUCCESS', physicalResourceId: 'db/app/app', data: { Role: 'app' } });
    expect(received).toHaveLength(1);
    expect(received[0]!.method).toBe('PUT');
    expect(received[0]!.contentType ?? '').toBe('');
    expect(JSON.parse(received[0]!.body)).toEqual({
      Status: 'SUCCESS',
      Reason: 'SUCCESS',
      PhysicalResourceId: 'db/app/app',
      StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/data/1',
      RequestId: 'request-1',
      LogicalResourceId: 'DatabaseBootstrap',
      NoEcho: false,
      Data: { Role: 'app' },
    });
  });

  test('failure: the reason is passed on, cut to a length CloudFormation shows', async () => {
    await respond(event(url()), { status: 'FAILED', physicalResourceId: 'log-stream', reason: 'x'.repeat(5000) });
    const body = JSON.parse(received[0]!.body);
    expect(body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'log-stream' });
    expect(body.Reason).toHaveLength(1000);
  });

  test('a refused answer is an error, not a silent success', async () => {
    status = 403;
    await expect(respond(event(url()), { status: 'SUCCESS', physicalResourceId: 'x' })).rejects.toThrow(/HTTP 403/);
  });
});

describe('every request is answered', () => {
  const log = new Logger({ logLevel: 'SILENT' });

  test('a request that succeeds answers SUCCESS with its physical id and data', async () => {
    await runAndAnswer(event(url()), 'fallback', async () => ({ PhysicalResourceId: 'db/app/app', Data: { Schema: 'app' } }), log);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'db/app/app', Data: { Schema: 'app' } });
  });

  test('a request that throws answers FAILED with the first line of the error, never a stack trace', async () => {
    await runAndAnswer(event(url()), 'fallback', async () => Promise.reject(new Error('permission denied for database app\n    at Query (pg.js:1)')), log);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'fallback', Reason: 'permission denied for database app' });
  });
});

