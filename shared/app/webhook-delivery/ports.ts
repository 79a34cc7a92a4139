/**
 * The outbound webhook delivery's ports. The producer (events → one task per interested endpoint) and the
 * delivery use case (sign, send, record, retry) meet here: a task on the deliveries queue names one event
 * and one endpoint, and the store below is all the delivery reads and writes.
 */

import type {
  Delivery,
  DeliveryAttempt,
  Mode,
  WebhookEndpoint,
  WebhookEvent,
} from '../../domain/webhook-events.js';

/** The message on the deliveries queue (and in a long retry's schedule). */
export interface DeliveryTask {
  merchantId: string;
  mode: Mode;
  endpointId: string;
  eventId: string;
  /** A resend (`POST /v1/events/{id}/resend`): delivered even if the endpoint acknowledged it before. */
  resend?: boolean;
}

export interface DeliveryStore {
  endpoint(merchantId: string, mode: Mode, endpointId: string): Promise<WebhookEndpoint | undefined>;
  /** The endpoint's `whsec_…` signing secret, in clear, for signing only (never logged). */
  signingSecret(endpoint: WebhookEndpoint): Promise<string>;
  event(merchantId: string, mode: Mode, eventId: string): Promise<WebhookEvent | undefined>;
  /** Where this event stands at this endpoint; undefined before the first attempt. */
  delivery(task: DeliveryTask): Promise<Delivery | undefined>;
  /**
   * The earliest event of the same object, created before `event`, that this endpoint has not yet
   * acknowledged and has not given up on: deliveries wait for it (order per object).
   */
  blockingDelivery(endpoint: WebhookEndpoint, event: WebhookEvent): Promise<Delivery | undefined>;
  /**
   * Records an attempt and the delivery's new state in one transaction, on the condition that the delivery
   * still has `expectedAttempts` attempts (a twin worker loses and records nothing: ConflictError), and
   * updates the endpoint's health (`failingSince` set on a first failure, cleared on a success).
   */
  recordAttempt(attempt: DeliveryAttempt, next: Delivery, expectedAttempts: number): Promise<void>;
  /** Disables an endpoint that has been failing for 5 days (conditional on it still failing). */
  disableFailing(endpoint: WebhookEndpoint): Promise<boolean>;
}

/** How the receiver answered, or why there was no answer. */
export type SendOutcome =
  | { kind: 'answered'; statusCode: number; durationMs: number }
  | { kind: 'no_answer'; error: string; durationMs: number };

/** Sends one signed delivery (POST, JSON, no redirects, 15 s), refusing blocked addresses in live mode. */
export interface WebhookSender {
  send(input: {
    url: string;
    mode: Mode;
    headers: Record<string, string>;
    body: string;
  }): Promise<SendOutcome>;
}

/** Signs a body per Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`. */
export interface WebhookSigner {
  sign(secret: string, messageId: string, timestamp: Date, body: string): Record<string, string>;
}

/** Puts a task back for later: an SQS delay up to 15 minutes, a one-time schedule beyond. */
export interface DeliveryRetries {
  retryAt(task: DeliveryTask, at: Date): Promise<void>;
}
