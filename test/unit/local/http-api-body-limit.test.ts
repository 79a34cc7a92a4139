/**
 * The local HTTP API's answer to an oversized body, as a client that is still uploading meets it. API
 * Gateway reads the body before it answers 413; a server that answers mid-upload and closes resets the
 * client's socket (EPIPE/ECONNRESET) before the answer can be read, which made the hostile-input suite flaky.
 */
import { request as httpRequest } from 'node:http';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const { DRAIN_LIMIT_BYTES, MAX_BODY_BYTES, startHttpApi } = await import('../../../local/http-api.js');
const { LocalLambda } = await import('../../../local/lambda.js');
const { Counters } = await import('../../../local/metrics.js');

interface Outcome {
  status?: number;
  text?: string;
  error?: string;
}

/** Streams `size` bytes in 64 KiB writes, with a Content-Length or chunked, and never hides a socket error. */
function upload(port: number, size: number, chunked: boolean): Promise<Outcome> {
  const body = Buffer.alloc(size, 'x');
  return new Promise((resolve) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/anything',
        headers: chunked ? { 'content-type': 'application/json' } : { 'content-length': String(size) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', (error) => resolve({ error: error.message }));
      },
    );
    outgoing.on('error', (error) => resolve({ error: `${(error as NodeJS.ErrnoException).code}` }));
    const step = 64 * 1024;
    for (let offset = 0; offset < body.length; offset += step)
      outgoing.write(body.subarray(offset, offset + step));
    outgoing.end();
  });
}

describe('Server: local HTTP API body limit', () => {
  let port: number;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const counters = new Counters();
    const api = await startHttpApi({
      port: 0,
      routes: [],
      lambda: new LocalLambda(counters),
      jwtSecret: 'unused-in-this-test-unused-in-this-test',
      counters,
      localRoutes: [],
    });
    port = api.port;
    close = () => new Promise((resolve) => api.server.close(() => resolve()));
  });

  afterAll(async () => {
    await close();
  });

  it('answers every concurrent 2 MB upload with 413 and never resets the client mid-write', async () => {
    // Arrange: 48 uploads, half with a Content-Length and half chunked, 16 at a time.
    const sizes = Array.from({ length: 48 }, (_, index) => ({
      size: 2 * 1024 * 1024,
      chunked: index % 2 === 1,
    }));

    // Act
    const outcomes: Outcome[] = [];
    for (let start = 0; start < sizes.length; start += 16) {
      const batch = sizes.slice(start, start + 16).map(({ size, chunked }) => upload(port, size, chunked));
      outcomes.push(...(await Promise.all(batch)));
    }

    // Assert
    expect(outcomes.filter((outcome) => outcome.error !== undefined)).toEqual([]);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe(413);
      expect(JSON.parse(outcome.text ?? '')).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    }
  });

  it('still reads a body of exactly the limit', async () => {
    // Act: no route matches, so a 404 proves the body was accepted and routing was reached.
    const outcome = await upload(port, MAX_BODY_BYTES, false);

    // Assert
    expect(outcome).toMatchObject({ status: 404 });
  });

  it('answers 413 at once to a declared length beyond what API Gateway itself would read', async () => {
    // Act: only the headers are sent; the server must not wait for 11 MB that will never come.
    const outcome = await new Promise<Outcome>((resolve) => {
      const outgoing = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/anything',
          headers: { 'content-length': String(DRAIN_LIMIT_BYTES + 1) },
        },
        (response) => {
          resolve({ status: response.statusCode ?? 0 });
          outgoing.destroy();
        },
      );
      outgoing.on('error', () => undefined);
      outgoing.flushHeaders();
    });

    // Assert
    expect(outcome.status).toBe(413);
  });
});
