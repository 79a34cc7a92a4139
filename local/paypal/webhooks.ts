/**
 * Webhook events: each state change emits one, recorded and sent signed to `webhookUrl` (signed afresh at
 * each delivery, retried with backoff); and the verify-webhook-signature API, which checks a signature
 * this server made.
 */
import { randomUUID } from 'node:crypto';
import { recordOf, stringOf } from '../../shared/json.js';
import { PayPalError } from './errors.js';
import type { Json } from './http-io.js';
import { AUTH_ALGO } from './signing.js';
import { newId, type PayPalState, type RecordedEvent } from './state.js';

const DELIVERY_ATTEMPTS = 4;
const FIRST_BACKOFF_MS = 250;

export function emit(
  state: PayPalState,
  type: string,
  resourceType: string,
  orderId: string,
  resource: Json,
): void {
  const event: RecordedEvent = {
    id: `WH-${newId()}`,
    event_type: type,
    orderId,
    body: JSON.stringify({
      id: '',
      event_version: '1.0',
      create_time: new Date().toISOString(),
      resource_type: resourceType,
      resource_version: '2.0',
      event_type: type,
      summary: type,
      resource,
    }),
  };
  event.body = event.body.replace('"id":""', `"id":"${event.id}"`);
  state.events.push(event);
  deliver(state, event);
}

/** One delivery: signed afresh (a current transmission time), retried with backoff on failure. */
export function deliver(state: PayPalState, event: RecordedEvent): void {
  const url = state.options.webhookUrl;
  if (url === undefined || state.closed) return;
  const delivery = send(state, url, event).finally(() => state.deliveries.delete(delivery));
  state.deliveries.add(delivery);
}

async function send(state: PayPalState, url: string, event: RecordedEvent): Promise<void> {
  for (let attempt = 1; attempt <= DELIVERY_ATTEMPTS && !state.closed; attempt += 1) {
    if (attempt > 1)
      await new Promise((resolve) => setTimeout(resolve, FIRST_BACKOFF_MS * 2 ** (attempt - 2)));
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signedHeaders(state, event.body) },
        body: event.body,
        signal: AbortSignal.timeout(5000),
      });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Unreachable or timed out: PayPal tries again later, as here.
    }
  }
}

/** The five transmission headers of one delivery of `body`, signed at `sentAt` (now). */
export function signedHeaders(state: PayPalState, body: string, sentAt = new Date()): Record<string, string> {
  const transmissionId = randomUUID();
  const transmissionTime = sentAt.toISOString();
  const signature = state.key.sign({
    transmissionId,
    transmissionTime,
    webhookId: state.options.webhookId,
    body,
  });
  return {
    'paypal-transmission-id': transmissionId,
    'paypal-transmission-time': transmissionTime,
    'paypal-transmission-sig': signature,
    'paypal-cert-url': state.certUrl(),
    'paypal-auth-algo': AUTH_ALGO,
  };
}

/** Checks a real signature this server made, over the message PayPal documents, for our webhook id. */
export function verifyWebhookSignature(state: PayPalState, body: Json): boolean {
  const event = recordOf(body.webhook_event);
  const transmissionId = stringOf(body.transmission_id);
  const transmissionTime = stringOf(body.transmission_time);
  const signature = stringOf(body.transmission_sig);
  if (
    event === undefined ||
    transmissionId === undefined ||
    transmissionTime === undefined ||
    signature === undefined
  ) {
    throw new PayPalError(400, 'VALIDATION_ERROR', 'MISSING_REQUIRED_PARAMETER');
  }
  if (body.webhook_id !== state.options.webhookId || body.auth_algo !== AUTH_ALGO) return false;
  if (body.cert_url !== state.certUrl()) return false;
  return state.key.verify(
    { transmissionId, transmissionTime, webhookId: state.options.webhookId, body: JSON.stringify(event) },
    signature,
  );
}
