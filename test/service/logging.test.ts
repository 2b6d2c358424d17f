import Fastify from 'fastify';
import { loggerOptions } from '../../service/src/logging';
import { LogCapture } from './support';

describe('service log redaction', () => {
  test('credentials, headers and bodies logged by accident are redacted', () => {
    const logs = new LogCapture();
    const app = Fastify({ logger: loggerOptions('info', logs) });
    app.log.info({ headers: { 'x-amzn-oidc-data': 'JWT-SECRET' }, authorization: 'Bearer AUTH-SECRET', cookie: 'COOKIE-SECRET', password: 'PW-SECRET', token: 'tok_SECRET', body: 'BODY-SECRET', attributes: { nationalId: 'ID-SECRET' } }, 'oops');
    app.log.info({ req: { method: 'GET', url: '/documents/1/content?expires=1&signature=SIG-SECRET', headers: { cookie: 'C2' } } }, 'request');
    expect(logs.text).not.toMatch(/SECRET|C2/);
    expect(logs.text).toContain('[redacted]');
    expect(logs.text).toContain('"path":"/documents/1/content"');
    expect(JSON.parse(logs.lines[0]!)).toMatchObject({ level: 'info', service: 'documents', message: 'oops' });
  });
});
