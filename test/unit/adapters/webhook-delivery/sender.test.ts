/**
 * The delivery sender (shared/adapters/webhook-delivery/sender.ts) against real HTTP servers on 127.0.0.1:
 * it posts the signed JSON, connects to the address that passed the check (never a fresh lookup), refuses
 * blocked addresses before connecting, never follows a redirect, gives up after its timeout, and names why
 * there was no answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorReason, HttpWebhookSender } from '../../../../shared/adapters/webhook-delivery/sender.js';
import type { HostResolver } from '../../../../shared/domain/webhook-url.js';

interface Hit {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

async function serve(
  answer: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ server: Server; port: number; hits: Hit[] }> {
  const hits: Hit[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      hits.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      answer(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, hits };
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** Every name resolves to the given addresses; no real DNS. */
const resolving = (...addresses: string[]): HostResolver => ({ resolve: async () => addresses });

const delivery = (url: string, mode: 'test' | 'live' = 'test') => ({
  url,
  mode,
  headers: { 'webhook-id': 'evt_1', 'webhook-timestamp': '1', 'webhook-signature': 'v1,abc' },
  body: '{"id":"evt_1"}',
});

describe('Module: webhook sender', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(close));
  });
  const start = async (answer: (request: IncomingMessage, response: ServerResponse) => void) => {
    const started = await serve(answer);
    servers.push(started.server);
    return started;
  };

  it('POSTs the body as JSON with the signature headers, to the address that passed the check', async () => {
    const receiver = await start((_request, response) => response.writeHead(204).end());
    // hooks.example.invalid exists in no DNS: reaching the receiver proves the socket used the checked address.
    const sender = new HttpWebhookSender({ resolver: resolving('127.0.0.1'), allowLoopbackInTest: true });

    const outcome = await sender.send(delivery(`http://hooks.example.invalid:${receiver.port}/tween?x=1`));

    expect(outcome).toEqual({ kind: 'answered', statusCode: 204, durationMs: expect.any(Number) });
    expect(receiver.hits).toHaveLength(1);
    expect(receiver.hits[0]).toMatchObject({
      method: 'POST',
      url: '/tween?x=1',
      body: '{"id":"evt_1"}',
      headers: {
        host: `hooks.example.invalid:${receiver.port}`,
        'content-type': 'application/json',
        'webhook-id': 'evt_1',
        'webhook-signature': 'v1,abc',
      },
    });
  });

  it('reports a 500 as an answer (the use case retries it)', async () => {
    const receiver = await start((_request, response) => response.writeHead(500).end('stack trace here'));
    const sender = new HttpWebhookSender({ resolver: resolving('127.0.0.1'), allowLoopbackInTest: true });

    const outcome = await sender.send(delivery(`http://127.0.0.1:${receiver.port}/`));

    expect(outcome).toMatchObject({ kind: 'answered', statusCode: 500 });
  });

  it('never follows a redirect: a 3xx is the answer, and its target hears nothing', async () => {
    const target = await start((_request, response) => response.writeHead(200).end());
    const receiver = await start((_request, response) =>
      response.writeHead(307, { location: `http://127.0.0.1:${target.port}/` }).end(),
    );
    const sender = new HttpWebhookSender({ resolver: resolving('127.0.0.1'), allowLoopbackInTest: true });

    const outcome = await sender.send(delivery(`http://127.0.0.1:${receiver.port}/`));

    expect(outcome).toMatchObject({ kind: 'answered', statusCode: 307 });
    expect(target.hits).toHaveLength(0);
  });

  it('refuses, without connecting, a live host that resolves to loopback at delivery (rebinding)', async () => {
    const receiver = await start((_request, response) => response.writeHead(200).end());
    const sender = new HttpWebhookSender({ resolver: resolving('127.0.0.1'), allowLoopbackInTest: true });

    const outcome = await sender.send(delivery(`https://hooks.example.com:${receiver.port}/`, 'live'));

    expect(outcome).toMatchObject({ kind: 'no_answer', error: 'blocked_address' });
    expect(receiver.hits).toHaveLength(0);
  });

  it('refuses a host when one of its addresses is blocked, and loopback in test mode without the setting', async () => {
    const receiver = await start((_request, response) => response.writeHead(200).end());
    const split = new HttpWebhookSender({ resolver: resolving('93.184.216.34', '10.0.0.1') });
    const strict = new HttpWebhookSender({ resolver: resolving('127.0.0.1') });

    expect(await split.send(delivery('https://hooks.example.com/', 'live'))).toMatchObject({
      error: 'blocked_address',
    });
    expect(await strict.send(delivery(`http://127.0.0.1:${receiver.port}/`))).toMatchObject({
      error: 'blocked_address',
    });
    expect(receiver.hits).toHaveLength(0);
  });

  it('gives up after its timeout when the receiver does not answer', async () => {
    const receiver = await start(() => undefined);
    const sender = new HttpWebhookSender({
      resolver: resolving('127.0.0.1'),
      allowLoopbackInTest: true,
      timeoutMs: 200,
    });

    const outcome = await sender.send(delivery(`http://127.0.0.1:${receiver.port}/`));

    expect(outcome).toMatchObject({ kind: 'no_answer', error: 'timeout' });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(150);
  });

  it('names a refused connection and a failed lookup', async () => {
    const gone = await serve(() => undefined);
    await close(gone.server);
    const sender = new HttpWebhookSender({ resolver: resolving('127.0.0.1'), allowLoopbackInTest: true });
    const unresolvable = new HttpWebhookSender({
      resolver: { resolve: async () => Promise.reject(Object.assign(new Error('x'), { code: 'ENOTFOUND' })) },
    });

    expect(await sender.send(delivery(`http://127.0.0.1:${gone.port}/`))).toMatchObject({
      error: 'connection_refused',
    });
    expect(await unresolvable.send(delivery('https://nowhere.example/'))).toMatchObject({
      error: 'dns_failure',
    });
  });

  it('maps socket errors to short reasons that carry nothing of the receiver', () => {
    const reason = (code: string) => errorReason(Object.assign(new Error('detail'), { code }));
    expect(reason('ECONNRESET')).toBe('connection_reset');
    expect(reason('ERR_TLS_CERT_ALTNAME_INVALID')).toBe('tls_error');
    expect(reason('DEPTH_ZERO_SELF_SIGNED_CERT')).toBe('tls_error');
    expect(reason('EWHATEVER')).toBe('connection_error');
  });
});
