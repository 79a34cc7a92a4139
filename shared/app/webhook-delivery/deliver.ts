/**
 * One delivery task: one event to one endpoint. Skips an endpoint that is gone or disabled and an event the
 * endpoint already acknowledged (unless it is a resend); keeps creation order per object (a task whose
 * object has an earlier unacknowledged event at this endpoint is put back for when that one is next due,
 * recording nothing); otherwise signs, sends, and records the attempt on the condition that no twin worker
 * recorded one meanwhile. A 2xx acknowledges; anything else is retried on the schedule until it is spent,
 * and an endpoint failing for 5 days is disabled and its owner emailed.
 */
import { ConcurrentModificationError } from '../../domain/errors.js';
import type { Delivery, DeliveryAttempt, WebhookEndpoint } from '../../domain/webhook-events.js';
import { webhookPayload } from '../../domain/webhook-events.js';
import { isAcknowledged, nextAttemptAt, shouldDisable } from '../../domain/webhook-retries.js';
import type { Mailer, Merchants } from '../merchants/ports.js';
import type { Clock } from '../ports.js';
import { endpointDisabledEmail } from './emails.js';
import type {
  DeliveryRetries,
  DeliveryStore,
  DeliveryTask,
  SendOutcome,
  WebhookSender,
  WebhookSigner,
} from './ports.js';

export interface DeliverySettings {
  /** Seconds between attempts (WEBHOOK_RETRY_SCHEDULE). */
  schedule: readonly number[];
  /** How long an endpoint may fail with no success before it is disabled (5 days). */
  disableAfterSeconds: number;
}

export interface DeliverDeps {
  store: DeliveryStore;
  signer: WebhookSigner;
  sender: WebhookSender;
  retries: DeliveryRetries;
  clock: Clock;
  merchants: Pick<Merchants, 'get'>;
  mailer: Mailer;
  settings: DeliverySettings;
}

export type DeliverResult =
  /** The endpoint or the event no longer exists. */
  | { outcome: 'gone' }
  | { outcome: 'disabled' }
  /** Acknowledged (or given up on) before: nothing sent. */
  | { outcome: 'done_before' }
  /** Put back: an earlier event of its object comes first, or its next attempt is not due yet. */
  | { outcome: 'waiting'; until: Date }
  /** A twin worker attempted it first; this one recorded nothing. */
  | { outcome: 'lost_race' }
  | { outcome: 'succeeded'; attempt: number }
  | { outcome: 'retrying'; attempt: number; at: Date }
  | { outcome: 'failed'; attempt: number; endpointDisabled: boolean };

/** How long after an earlier event's due time a task waiting on it comes back (that one goes first). */
const AFTER_BLOCKER_MS = 1_000;

export async function deliverWebhook(task: DeliveryTask, deps: DeliverDeps): Promise<DeliverResult> {
  const { store, clock } = deps;
  const endpoint = await store.endpoint(task.merchantId, task.mode, task.endpointId);
  if (endpoint === undefined) return { outcome: 'gone' };
  if (endpoint.status !== 'enabled') return { outcome: 'disabled' };
  const event = await store.event(task.merchantId, task.mode, task.eventId);
  if (event === undefined) return { outcome: 'gone' };
  const delivery = await store.delivery(task);
  const resend = task.resend === true;

  if (!resend && delivery !== undefined) {
    if (delivery.status !== 'pending') return { outcome: 'done_before' };
    // An early copy of a task (a redelivered message, a retry whose put-back failed): back to its due time.
    const due = delivery.nextAttemptAt === undefined ? undefined : new Date(delivery.nextAttemptAt);
    if (due !== undefined && due.getTime() > clock.now().getTime() + AFTER_BLOCKER_MS) {
      return putBack(task, due, deps);
    }
  }
  if (!resend) {
    const blocking = await store.blockingDelivery(endpoint, event);
    if (blocking !== undefined) return putBack(task, waitFor(blocking, deps), deps);
  }

  const attemptedAt = clock.now();
  const attempt = (delivery?.attempts ?? 0) + 1;
  const body = JSON.stringify(webhookPayload(event));
  const secret = await store.signingSecret(endpoint);
  const headers = deps.signer.sign(secret, event.id, attemptedAt, body);
  const sent = await deps.sender.send({ url: endpoint.url, mode: endpoint.mode, headers, body });

  const acknowledged = sent.kind === 'answered' && isAcknowledged(sent.statusCode);
  const next = nextState(delivery, attempt, acknowledged, resend, attemptedAt, deps.settings);
  const record: DeliveryAttempt = {
    merchantId: task.merchantId,
    mode: task.mode,
    endpointId: task.endpointId,
    eventId: task.eventId,
    attempt,
    attemptedAt: attemptedAt.toISOString(),
    ...outcomeFields(sent),
    // Only the attempt that scheduled a retry names it (a resend never schedules one).
    ...(next.retryAt === undefined ? {} : { nextAttemptAt: next.retryAt.toISOString() }),
  };
  const state: Delivery = {
    merchantId: task.merchantId,
    mode: task.mode,
    endpointId: task.endpointId,
    eventId: task.eventId,
    objectId: event.objectId,
    sequence: event.sequence,
    status: next.status,
    attempts: attempt,
    ...(next.dueAt === undefined ? {} : { nextAttemptAt: next.dueAt }),
  };
  try {
    await store.recordAttempt(record, state, delivery?.attempts ?? 0);
  } catch (error) {
    if (error instanceof ConcurrentModificationError) return { outcome: 'lost_race' };
    throw error;
  }

  if (acknowledged) return { outcome: 'succeeded', attempt };
  if (next.retryAt !== undefined) {
    await deps.retries.retryAt({ ...withoutResend(task) }, next.retryAt);
  }
  const endpointDisabled = await disableIfFailingTooLong(endpoint, deps);
  return next.retryAt === undefined
    ? { outcome: 'failed', attempt, endpointDisabled }
    : { outcome: 'retrying', attempt, at: next.retryAt };
}

interface NextState {
  status: Delivery['status'];
  /** The delivery's next due time (kept from before by a failed resend of a pending delivery). */
  dueAt?: string;
  /** A retry this attempt schedules. */
  retryAt?: Date;
}

function nextState(
  delivery: Delivery | undefined,
  attempt: number,
  acknowledged: boolean,
  resend: boolean,
  attemptedAt: Date,
  settings: DeliverySettings,
): NextState {
  if (acknowledged) return { status: 'succeeded' };
  // A resend is one attempt: it never schedules retries and leaves the delivery where it stood.
  if (resend && delivery !== undefined) {
    return delivery.nextAttemptAt === undefined
      ? { status: delivery.status }
      : { status: delivery.status, dueAt: delivery.nextAttemptAt };
  }
  if (resend) return { status: 'failed' };
  const retryAt = nextAttemptAt(settings.schedule, attempt, attemptedAt);
  return retryAt === undefined
    ? { status: 'failed' }
    : { status: 'pending', dueAt: retryAt.toISOString(), retryAt };
}

function outcomeFields(sent: SendOutcome): Pick<DeliveryAttempt, 'statusCode' | 'error' | 'durationMs'> {
  return sent.kind === 'answered'
    ? { statusCode: sent.statusCode, durationMs: sent.durationMs }
    : { error: sent.error, durationMs: sent.durationMs };
}

function withoutResend(task: DeliveryTask): DeliveryTask {
  const { resend: _resend, ...rest } = task;
  return rest;
}

/** When a task waiting on an earlier event comes back: just after that event's next attempt. */
function waitFor(blocking: Delivery, deps: DeliverDeps): Date {
  const now = deps.clock.now().getTime();
  const due = blocking.nextAttemptAt === undefined ? now : Date.parse(blocking.nextAttemptAt);
  const first = (deps.settings.schedule[0] ?? 5) * 1_000;
  return new Date(Math.max(due + AFTER_BLOCKER_MS, now + Math.min(first, 5_000)));
}

async function putBack(task: DeliveryTask, until: Date, deps: DeliverDeps): Promise<DeliverResult> {
  await deps.retries.retryAt(task, until);
  return { outcome: 'waiting', until };
}

/**
 * The 5-day rule, after a failed attempt: the owner is emailed first and the endpoint disabled after, so a
 * mail that does not go out fails the task and the rule runs again at the next failure (an email may then
 * repeat; it is never lost to an endpoint already disabled).
 */
async function disableIfFailingTooLong(endpoint: WebhookEndpoint, deps: DeliverDeps): Promise<boolean> {
  if (!shouldDisable(endpoint, deps.clock.now(), deps.settings.disableAfterSeconds)) return false;
  const merchant = await deps.merchants.get(endpoint.merchantId);
  if (merchant !== undefined) await deps.mailer.send(endpointDisabledEmail(merchant, endpoint));
  return deps.store.disableFailing(endpoint);
}
