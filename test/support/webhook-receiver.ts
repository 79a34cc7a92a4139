/**
 * A merchant's webhook receiver for tests: a real HTTP server on 127.0.0.1 that verifies every delivery's
 * signature with the `standardwebhooks` library (as a merchant would), records what it got, and can be told
 * to be down (the connection is dropped without an answer) or to answer 500. Register its `url` as a
 * test-mode endpoint (the local stack lets test mode reach loopback), then give it the endpoint's secret.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export type ReceiverMode = 'up' | 'error' | 'down';

export interface ReceivedDelivery {
  /** The `webhook-id` header: the event id. */
  id: string;
  type: string;
  objectId: string | undefined;
  body: Record<string, unknown>;
  headers: Record<string, string>;
  /** Whether the signature verified with the endpoint's secret. */
  verified: boolean;
  /** What the receiver answered. */
  status: number;
  at: number;
}

export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  /** Requests dropped without an answer while down. */
  dropped = 0;
  mode: ReceiverMode = 'up';
  #secret: string | undefined;
  #script: ReceiverMode[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(path = '/hooks'): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | undefined;
    const server = createServer((request, response) => {
      void receiver?.handle(request).then((status) => {
        if (status === 0) request.socket.destroy();
        else response.writeHead(status).end(status < 300 ? 'ok' : '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}${path}`);
    return receiver;
  }

  /** The endpoint's `whsec_…` secret, shown once at registration. */
  useSecret(secret: string): this {
    this.#secret = secret;
    return this;
  }

  /** Answers the next deliveries as scripted (then goes back to `mode`): `['error', 'up']`. */
  script(...modes: ReceiverMode[]): this {
    this.#script.push(...modes);
    return this;
  }

  /** Verified deliveries answered 2xx, in the order they arrived. */
  acknowledged(): ReceivedDelivery[] {
    return this.received.filter((delivery) => delivery.verified && delivery.status < 300);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The mode for this request: the next scripted one, else `mode`. */
  #nextMode(): ReceiverMode {
    return this.#script.shift() ?? this.mode;
  }

  /** The status to answer, or 0 to drop the connection without one (down). */
  private async handle(request: IncomingMessage): Promise<number> {
    const text = await readText(request);
    const mode = this.#nextMode();
    if (mode === 'down') {
      this.dropped += 1;
      return 0;
    }
    const headers = Object.fromEntries(
      Object.entries(request.headers).flatMap(([name, value]) =>
        typeof value === 'string' ? [[name, value]] : [],
      ),
    );
    let verified = false;
    let body: Record<string, unknown> = {};
    try {
      if (this.#secret === undefined) throw new Error('no secret yet');
      body = new Webhook(this.#secret).verify(text, headers) as Record<string, unknown>;
      verified = true;
    } catch {
      verified = false;
    }
    const status = !verified ? 400 : mode === 'error' ? 500 : 200;
    const data = body.data as { object?: { id?: unknown } } | undefined;
    this.received.push({
      id: headers['webhook-id'] ?? '',
      type: typeof body.type === 'string' ? body.type : '',
      objectId: typeof data?.object?.id === 'string' ? data.object.id : undefined,
      body,
      headers,
      verified,
      status,
      at: Date.now(),
    });
    return status;
  }
}

function readText(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
