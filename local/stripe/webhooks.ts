/**
 * Webhook signing and delivery, as Stripe does them.
 *
 * Signing: `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the
 * endpoint's signing secret>`, so `stripe.webhooks.constructEvent(rawBody, header, secret)` verifies it.
 * Each attempt is signed afresh, so a retry carries a current timestamp.
 *
 * Delivery: a JSON POST per event, started without holding up the API response. A non-2xx answer or a
 * connection failure is retried with exponential backoff, up to a fixed number of attempts; every attempt
 * is recorded on the event's delivery status. `close()` abandons what is still pending.
 */
import { createHmac } from 'node:crypto';
import { Agent, type ClientRequest, request } from 'node:http';
import { unixNow } from './objects.js';

export interface DeliveryPolicy {
  maxAttempts: number;
  /** Wait before the second attempt; each later wait doubles. */
  initialBackoffMs: number;
  /** An attempt with no response by then counts as failed. */
  attemptTimeoutMs: number;
}

/** Minutes to days at Stripe; seconds here, so a test sees the retries. */
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 4,
  initialBackoffMs: 250,
  attemptTimeoutMs: 5000,
};

export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'abandoned' | 'no_endpoint';

export interface DeliveryAttempt {
  at: string;
  status_code: number | null;
  error: string | null;
}

export interface DeliveryStatus {
  state: DeliveryState;
  attempts: DeliveryAttempt[];
}

export function computeSignature(payload: string, secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
}

export function signatureHeader(payload: string, secret: string, timestamp = unixNow()): string {
  return `t=${timestamp},v1=${computeSignature(payload, secret, timestamp)}`;
}

export class WebhookSender {
  readonly #url: URL;
  readonly #secret: string;
  readonly #policy: DeliveryPolicy;
  // No keep-alive: nothing outlives an attempt, and close() leaves no socket behind.
  readonly #agent = new Agent({ keepAlive: false });
  readonly #deliveries = new Set<Promise<void>>();
  readonly #requests = new Set<ClientRequest>();
  /** Wakes each delivery waiting out a backoff, telling it to stop. */
  readonly #wakers = new Set<() => void>();
  #closed = false;

  constructor(url: string, secret: string, policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY) {
    this.#url = new URL(url);
    if (this.#url.protocol !== 'http:') throw new Error(`webhookUrl must be an http:// URL, got ${url}`);
    this.#secret = secret;
    this.#policy = policy;
  }

  /** Starts delivering `payload`, updating `status` as attempts finish. Returns at once. */
  deliver(payload: string, status: DeliveryStatus): void {
    if (this.#closed) {
      status.state = 'abandoned';
      return;
    }
    const delivery = this.#run(payload, status).finally(() => this.#deliveries.delete(delivery));
    this.#deliveries.add(delivery);
  }

  /** Stops retrying and cuts off attempts under way; resolves when every delivery has settled. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const wake of this.#wakers) wake();
    for (const req of this.#requests) req.destroy(new Error('webhook delivery stopped'));
    await Promise.allSettled(this.#deliveries);
    this.#agent.destroy();
  }

  async #run(payload: string, status: DeliveryStatus): Promise<void> {
    for (let attempt = 1; attempt <= this.#policy.maxAttempts && !this.#closed; attempt += 1) {
      if (attempt > 1 && !(await this.#backoff(this.#policy.initialBackoffMs * 2 ** (attempt - 2)))) break;
      const at = new Date().toISOString();
      try {
        const statusCode = await this.#post(payload);
        status.attempts.push({ at, status_code: statusCode, error: null });
        if (statusCode >= 200 && statusCode < 300) {
          status.state = 'delivered';
          return;
        }
      } catch (error) {
        if (this.#closed) break;
        status.attempts.push({
          at,
          status_code: null,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    status.state = this.#closed ? 'abandoned' : 'failed';
  }

  /** Resolves true after `ms`, or false at once if the sender closes meanwhile. */
  #backoff(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.#wakers.delete(wake);
        resolve(true);
      }, ms);
      this.#wakers.add(wake);
    });
  }

  /** One attempt: resolves with the HTTP status, rejects on a connection failure or timeout. */
  #post(payload: string): Promise<number> {
    const body = Buffer.from(payload, 'utf8');
    return new Promise((resolve, reject) => {
      const req = request(
        this.#url,
        {
          method: 'POST',
          agent: this.#agent,
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            'Content-Length': body.length,
            'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
            'Stripe-Signature': signatureHeader(payload, this.#secret),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      this.#requests.add(req);
      req.on('close', () => this.#requests.delete(req));
      req.setTimeout(this.#policy.attemptTimeoutMs, () => {
        req.destroy(new Error(`no response within ${this.#policy.attemptTimeoutMs} ms`));
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}
