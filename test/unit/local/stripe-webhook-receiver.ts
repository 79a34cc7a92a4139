/**
 * A tiny webhook endpoint for the Stripe test server's tests: records every delivery exactly as received
 * (raw body and `Stripe-Signature`). It can be told to fail the next few with a 500, to exercise retries,
 * or to never answer, to show delivery does not hold up the API.
 */
import { createServer, type Server } from 'node:http';

export interface ReceivedWebhook {
  rawBody: string;
  signature: string;
  userAgent: string | undefined;
  /** The status sent back; null while the receiver is not answering. */
  answeredWith: number | null;
}

export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  #failuresLeft = 0;
  #answering = true;
  #server: Server | undefined;
  #url = '';

  get url(): string {
    return this.#url;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const answeredWith = !this.#answering ? null : this.#failuresLeft > 0 ? 500 : 200;
        if (answeredWith === 500) this.#failuresLeft -= 1;
        const signature = req.headers['stripe-signature'];
        this.received.push({
          rawBody: Buffer.concat(chunks).toString('utf8'),
          signature: typeof signature === 'string' ? signature : '',
          userAgent: req.headers['user-agent'],
          answeredWith,
        });
        if (answeredWith !== null) res.writeHead(answeredWith).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('receiver has no TCP address');
    this.#server = server;
    this.#url = `http://127.0.0.1:${address.port}/webhooks/stripe`;
  }

  /** The next `count` deliveries are answered 500. */
  failNext(count: number): void {
    this.#failuresLeft = count;
  }

  /** From now on, requests are read but never answered. */
  stopAnswering(): void {
    this.#answering = false;
  }

  /** Deliveries of the event with this id, in arrival order. */
  deliveriesOf(eventId: string): ReceivedWebhook[] {
    return this.received.filter((delivery) => eventIdOf(delivery.rawBody) === eventId);
  }

  async waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

function eventIdOf(rawBody: string): string | undefined {
  const body: unknown = JSON.parse(rawBody);
  return typeof body === 'object' && body !== null && 'id' in body && typeof body.id === 'string'
    ? body.id
    : undefined;
}
