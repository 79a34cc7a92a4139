/**
 * In-memory webhook delivery pieces (shared/app/webhook-delivery/ports.ts): a store that keeps the
 * DynamoDB store's rules (an attempt recorded only when the delivery still has the attempts the caller
 * read; the endpoint's failure clock started on a failure and cleared on a success; order per object over
 * pending deliveries), a scripted sender, and retries that remember what was put back and when.
 */
import type {
  DeliveryRetries,
  DeliveryStore,
  DeliveryTask,
  SendOutcome,
  WebhookSender,
} from '../../../shared/app/webhook-delivery/ports.js';
import { ConcurrentModificationError } from '../../../shared/domain/errors.js';
import type {
  Delivery,
  DeliveryAttempt,
  Mode,
  WebhookEndpoint,
  WebhookEvent,
} from '../../../shared/domain/webhook-events.js';

const key = (...parts: (string | number)[]) => parts.join('|');

export class InMemoryDeliveryStore implements DeliveryStore {
  readonly endpoints = new Map<string, WebhookEndpoint>();
  readonly events = new Map<string, WebhookEvent>();
  readonly deliveries = new Map<string, Delivery>();
  readonly attempts: DeliveryAttempt[] = [];
  /** Runs inside recordAttempt before its condition is checked: a twin worker's write lands there. */
  beforeRecord: (() => void) | undefined;

  addEndpoint(endpoint: WebhookEndpoint): this {
    this.endpoints.set(key(endpoint.merchantId, endpoint.mode, endpoint.id), { ...endpoint });
    return this;
  }

  addEvent(event: WebhookEvent): this {
    this.events.set(key(event.merchantId, event.mode, event.id), event);
    return this;
  }

  endpointNow(endpoint: WebhookEndpoint): WebhookEndpoint | undefined {
    return this.endpoints.get(key(endpoint.merchantId, endpoint.mode, endpoint.id));
  }

  async endpoint(merchantId: string, mode: Mode, endpointId: string): Promise<WebhookEndpoint | undefined> {
    const found = this.endpoints.get(key(merchantId, mode, endpointId));
    return found === undefined ? undefined : { ...found };
  }

  async signingSecret(endpoint: WebhookEndpoint): Promise<string> {
    return `whsec_${Buffer.from(`secret of ${endpoint.id}`).toString('base64')}`;
  }

  async event(merchantId: string, mode: Mode, eventId: string): Promise<WebhookEvent | undefined> {
    return this.events.get(key(merchantId, mode, eventId));
  }

  async delivery(task: DeliveryTask): Promise<Delivery | undefined> {
    const found = this.deliveries.get(key(task.merchantId, task.mode, task.endpointId, task.eventId));
    return found === undefined ? undefined : { ...found };
  }

  async blockingDelivery(endpoint: WebhookEndpoint, event: WebhookEvent): Promise<Delivery | undefined> {
    return [...this.deliveries.values()]
      .filter(
        (delivery) =>
          delivery.endpointId === endpoint.id &&
          delivery.objectId === event.objectId &&
          delivery.sequence < event.sequence &&
          delivery.status === 'pending',
      )
      .sort((a, b) => a.sequence - b.sequence)[0];
  }

  async recordAttempt(attempt: DeliveryAttempt, next: Delivery, expectedAttempts: number): Promise<void> {
    this.beforeRecord?.();
    const id = key(next.merchantId, next.mode, next.endpointId, next.eventId);
    if ((this.deliveries.get(id)?.attempts ?? 0) !== expectedAttempts) {
      throw new ConcurrentModificationError('Webhook delivery');
    }
    this.deliveries.set(id, { ...next });
    this.attempts.push(attempt);
    const endpointKey = key(attempt.merchantId, attempt.mode, attempt.endpointId);
    const endpoint = this.endpoints.get(endpointKey);
    if (endpoint === undefined) return;
    const ok = attempt.statusCode !== undefined && attempt.statusCode >= 200 && attempt.statusCode < 300;
    if (ok) {
      const { failingSince: _cleared, ...healthy } = endpoint;
      this.endpoints.set(endpointKey, healthy);
    } else if (endpoint.failingSince === undefined) {
      this.endpoints.set(endpointKey, { ...endpoint, failingSince: attempt.attemptedAt });
    }
  }

  async disableFailing(endpoint: WebhookEndpoint): Promise<boolean> {
    const endpointKey = key(endpoint.merchantId, endpoint.mode, endpoint.id);
    const current = this.endpoints.get(endpointKey);
    if (current?.status !== 'enabled' || current.failingSince !== endpoint.failingSince) return false;
    this.endpoints.set(endpointKey, { ...current, status: 'disabled', disabledReason: 'failing' });
    return true;
  }
}

/** Answers each send with the next scripted outcome (the last one repeats), recording what it was sent. */
export class ScriptedSender implements WebhookSender {
  readonly sent: { url: string; mode: Mode; headers: Record<string, string>; body: string }[] = [];
  constructor(
    private readonly script: SendOutcome[] = [{ kind: 'answered', statusCode: 200, durationMs: 3 }],
  ) {}

  async send(input: { url: string; mode: Mode; headers: Record<string, string>; body: string }) {
    this.sent.push(input);
    const outcome = this.script.length > 1 ? this.script.shift() : this.script[0];
    if (outcome === undefined) throw new Error('ScriptedSender has no outcome');
    return outcome;
  }
}

export class RecordingRetries implements DeliveryRetries {
  readonly scheduled: { task: DeliveryTask; at: Date }[] = [];

  async retryAt(task: DeliveryTask, at: Date): Promise<void> {
    this.scheduled.push({ task, at });
  }
}

export const answered = (statusCode: number): SendOutcome => ({
  kind: 'answered',
  statusCode,
  durationMs: 5,
});
export const noAnswer = (error = 'timeout'): SendOutcome => ({
  kind: 'no_answer',
  error,
  durationMs: 15_000,
});
