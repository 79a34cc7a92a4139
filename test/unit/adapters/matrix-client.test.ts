import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import {
  HomeserverUnavailableError,
  type MatrixClientOptions,
  MatrixClientServerApi,
  RoomRejectedError,
} from '../../../shared/adapters/matrix/client.js';
import { loadMatrixAccessToken, matrixHomeserverUrl } from '../../../shared/adapters/matrix/config.js';

const TOKEN = 'syt_publisher_token';
const ROOM = '!chat:tween.example';
const TYPE = 'm.tween.payment.completed';
const TXN = 'payment.completed:pay_1';
const CONTENT = { payment_id: 'pay_1', amount: 1050, currency: 'USD' };

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

interface Scripted {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Holds the answer back this long (a hung homeserver). */
  delayMs?: number;
}

/** A homeserver on a free local port that answers from a script and records every request, raw path and all. */
class ScriptedHomeserver {
  readonly received: Received[] = [];
  #script: Scripted[] = [];
  readonly #server: Server;

  constructor() {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        this.received.push({
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body: text === '' ? undefined : JSON.parse(text),
        });
        const next = this.#script.shift() ?? { status: 200, body: { event_id: '$default' } };
        const answer = () => {
          response.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
          response.end(next.body === undefined ? '' : JSON.stringify(next.body));
        };
        if (next.delayMs === undefined) answer();
        else setTimeout(answer, next.delayMs);
      });
    });
  }

  async start(): Promise<string> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  answer(...responses: Scripted[]): void {
    this.#script = [...responses];
  }

  stop(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

const unavailable = { status: 503, body: { errcode: 'M_UNKNOWN', error: 'Service unavailable' } };
const sent = (eventId: string) => ({ status: 200, body: { event_id: eventId } });

describe('Class: MatrixClientServerApi', () => {
  const homeserver = new ScriptedHomeserver();
  let baseUrl: string;
  let sleeps: number[];

  beforeAll(async () => {
    baseUrl = await homeserver.start();
  });

  afterAll(() => homeserver.stop());

  beforeEach(() => {
    homeserver.received.length = 0;
    homeserver.answer();
    sleeps = [];
  });

  function client(options: Partial<MatrixClientOptions> = {}): MatrixClientServerApi {
    return new MatrixClientServerApi({
      homeserverUrl: baseUrl,
      accessToken: () => TOKEN,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      ...options,
    });
  }

  describe('Method: send', () => {
    it('returns the event id when the homeserver takes the event at once', async () => {
      // Arrange
      homeserver.answer(sent('$abc'));

      // Act
      const result = await client().send(ROOM, TYPE, TXN, CONTENT);

      // Assert
      expect(result).toEqual({ eventId: '$abc' });
      expect(homeserver.received).toHaveLength(1);
      expect(homeserver.received[0]).toMatchObject({
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: CONTENT,
      });
      expect(sleeps).toEqual([]);
    });

    it('percent-encodes the room id, the event type and the transaction id into one path segment each', async () => {
      // Arrange
      homeserver.answer(sent('$abc'));
      const txnId = 'gift.opened:gift_1:@bob:tween.example/#?%';

      // Act
      await client().send('!room/with?odd#chars:tween.example', 'm.tween.gift.opened', txnId, {});

      // Assert
      expect(homeserver.received[0]?.url).toBe(
        '/_matrix/client/v3/rooms/!room%2Fwith%3Fodd%23chars%3Atween.example/send/m.tween.gift.opened/' +
          'gift.opened%3Agift_1%3A%40bob%3Atween.example%2F%23%3F%25',
      );
    });

    it('keeps a path prefix of the homeserver URL and drops its trailing slash', async () => {
      // Arrange
      homeserver.answer(sent('$abc'));

      // Act
      await client({ homeserverUrl: `${baseUrl}/matrix/` }).send(ROOM, TYPE, TXN, CONTENT);

      // Assert
      expect(homeserver.received[0]?.url).toMatch(/^\/matrix\/_matrix\/client\/v3\/rooms\//);
    });

    it('retries with the same request after a 503 and returns the event id when a retry succeeds', async () => {
      // Arrange
      homeserver.answer(unavailable, unavailable, sent('$after-outage'));

      // Act
      const result = await client({ baseDelayMs: 100 }).send(ROOM, TYPE, TXN, CONTENT);

      // Assert
      expect(result).toEqual({ eventId: '$after-outage' });
      expect(homeserver.received).toHaveLength(3);
      expect(new Set(homeserver.received.map((request) => request.url)).size).toBe(1);
      // Full jitter (random = 0.5) over an exponential step: 0.5 * 100, 0.5 * 200
      expect(sleeps).toEqual([50, 100]);
    });

    it('waits the retry_after_ms a 429 asks for before it retries', async () => {
      // Arrange
      homeserver.answer(
        {
          status: 429,
          body: { errcode: 'M_LIMIT_EXCEEDED', error: 'Too many requests', retry_after_ms: 1234 },
        },
        sent('$later'),
      );

      // Act
      const result = await client().send(ROOM, TYPE, TXN, CONTENT);

      // Assert
      expect(result).toEqual({ eventId: '$later' });
      expect(sleeps).toEqual([1234]);
    });

    it('waits the Retry-After seconds when a 429 carries no retry_after_ms', async () => {
      // Arrange
      homeserver.answer(
        { status: 429, body: { errcode: 'M_LIMIT_EXCEEDED' }, headers: { 'retry-after': '2' } },
        sent('$later'),
      );

      // Act
      await client().send(ROOM, TYPE, TXN, CONTENT);

      // Assert
      expect(sleeps).toEqual([2000]);
    });

    it('throws HomeserverUnavailableError at once when a 429 asks for a longer wait than allowed', async () => {
      // Arrange
      homeserver.answer({ status: 429, body: { errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: 60_000 } });

      // Act
      const error = await failureOf(client({ maxRetryAfterMs: 5_000 }).send(ROOM, TYPE, TXN, CONTENT));

      // Assert
      expect(error).toBeInstanceOf(HomeserverUnavailableError);
      expect(error).toMatchObject({ attempts: 1, status: 429 });
      expect(sleeps).toEqual([]);
    });

    it('throws HomeserverUnavailableError after the last attempt when the homeserver stays down', async () => {
      // Arrange
      homeserver.answer(unavailable, unavailable, unavailable, unavailable, sent('$too-late'));

      // Act
      const error = await failureOf(client({ maxAttempts: 4 }).send(ROOM, TYPE, TXN, CONTENT));

      // Assert
      expect(error).toBeInstanceOf(HomeserverUnavailableError);
      expect(error).toMatchObject({ attempts: 4, status: 503 });
      expect(homeserver.received).toHaveLength(4);
      expect(sleeps).toHaveLength(3);
    });

    it('caps the backoff at maxDelayMs', async () => {
      // Arrange
      homeserver.answer(unavailable, unavailable, unavailable, unavailable, unavailable);

      // Act
      await failureOf(
        client({ maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 300, random: () => 0.999 }).send(
          ROOM,
          TYPE,
          TXN,
          CONTENT,
        ),
      );

      // Assert
      expect(sleeps).toEqual([99, 199, 299, 299]);
    });

    it('retries a request that timed out', async () => {
      // Arrange
      homeserver.answer({ ...sent('$slow'), delayMs: 500 }, sent('$fast'));

      // Act
      const result = await client({ timeoutMs: 100 }).send(ROOM, TYPE, TXN, CONTENT);

      // Assert
      expect(result).toEqual({ eventId: '$fast' });
      expect(homeserver.received).toHaveLength(2);
    });

    it('retries a network error and names it when every attempt fails', async () => {
      // Arrange: nothing listens on port 9 (discard) of the loopback address
      const offline = client({ homeserverUrl: 'http://127.0.0.1:9', maxAttempts: 2 });

      // Act
      const error = await failureOf(offline.send(ROOM, TYPE, TXN, CONTENT));

      // Assert
      expect(error).toBeInstanceOf(HomeserverUnavailableError);
      expect(error).toMatchObject({ attempts: 2, message: expect.stringContaining('network error') });
      expect(sleeps).toHaveLength(1);
    });

    it('throws RoomRejectedError without a retry when the homeserver answers M_FORBIDDEN', async () => {
      // Arrange
      homeserver.answer(
        { status: 403, body: { errcode: 'M_FORBIDDEN', error: 'User not in room' } },
        sent('$never'),
      );

      // Act
      const error = await failureOf(client().send(ROOM, TYPE, TXN, CONTENT));

      // Assert
      expect(error).toBeInstanceOf(RoomRejectedError);
      expect(error).toMatchObject({ status: 403, errcode: 'M_FORBIDDEN' });
      expect(homeserver.received).toHaveLength(1);
      expect(sleeps).toEqual([]);
    });

    it('throws RoomRejectedError without a retry when the token is unknown', async () => {
      // Arrange
      homeserver.answer({ status: 401, body: { errcode: 'M_UNKNOWN_TOKEN', error: 'Unknown access token' } });

      // Act
      const error = await failureOf(client().send(ROOM, TYPE, TXN, CONTENT));

      // Assert
      expect(error).toMatchObject({ name: 'RoomRejectedError', status: 401, errcode: 'M_UNKNOWN_TOKEN' });
      expect(homeserver.received).toHaveLength(1);
    });

    it('asks the token provider on every send, so a rotated token is used', async () => {
      // Arrange
      const tokens = ['syt_old', 'syt_new'];
      const rotating = client({ accessToken: () => tokens.shift() ?? 'syt_none' });

      // Act
      await rotating.send(ROOM, TYPE, 'txn-1', CONTENT);
      await rotating.send(ROOM, TYPE, 'txn-2', CONTENT);

      // Assert
      expect(homeserver.received.map((request) => request.headers.authorization)).toEqual([
        'Bearer syt_old',
        'Bearer syt_new',
      ]);
    });
  });
});

describe('Function: loadMatrixAccessToken', () => {
  const secrets = mockClient(SecretsManagerClient);

  beforeEach(() => {
    secrets.reset();
  });

  it('returns MATRIX_ACCESS_TOKEN when no secret ARN is set', async () => {
    // Act
    const token = await loadMatrixAccessToken({ MATRIX_ACCESS_TOKEN: 'syt_local' });

    // Assert
    expect(token).toBe('syt_local');
    expect(secrets.calls()).toHaveLength(0);
  });

  it('reads the secret named by MATRIX_TOKEN_SECRET_ARN when it is set', async () => {
    // Arrange
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:matrix-token-AbCdEf';
    secrets.on(GetSecretValueCommand, { SecretId: arn }).resolves({ SecretString: 'syt_from_secret' });

    // Act
    const token = await loadMatrixAccessToken({
      MATRIX_TOKEN_SECRET_ARN: arn,
      MATRIX_ACCESS_TOKEN: 'syt_local',
    });

    // Assert
    expect(token).toBe('syt_from_secret');
  });

  it('throws naming the variable, not a value, when there is no token', async () => {
    // Act
    const error = await failureOf(loadMatrixAccessToken({}));

    // Assert
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('MATRIX_ACCESS_TOKEN');
  });
});

describe('Function: matrixHomeserverUrl', () => {
  it('returns MATRIX_HOMESERVER_URL when it is an http(s) URL', () => {
    // Act & Assert
    expect(matrixHomeserverUrl({ MATRIX_HOMESERVER_URL: 'https://matrix.tween.example' })).toBe(
      'https://matrix.tween.example',
    );
  });

  it('throws naming the variable when it is missing or not a URL', () => {
    // Act & Assert
    expect(() => matrixHomeserverUrl({})).toThrow(/MATRIX_HOMESERVER_URL/);
    expect(() => matrixHomeserverUrl({ MATRIX_HOMESERVER_URL: 'ftp://matrix' })).toThrow(
      /MATRIX_HOMESERVER_URL/,
    );
  });
});
