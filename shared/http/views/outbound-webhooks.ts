import type { DeliveryAttempt, WebhookEndpoint, WebhookEvent } from '../../domain/webhook-events.js';

function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** An endpoint as API.md shapes it; `secret` only in the answer that created it. */
export function webhookEndpointView(endpoint: WebhookEndpoint, secret?: string) {
  return {
    id: endpoint.id,
    object: 'webhook_endpoint' as const,
    url: endpoint.url,
    enabled_events: [...endpoint.enabledEvents],
    description: endpoint.description ?? null,
    status: endpoint.status,
    ...(secret === undefined ? {} : { secret }),
    livemode: endpoint.mode === 'live',
    created: endpoint.created,
  };
}

export function deletedWebhookEndpointView(deleted: { id: string }) {
  return { id: deleted.id, object: 'webhook_endpoint' as const, deleted: true as const };
}

/** An event as Stripe shapes one (and as its deliveries carry it). */
export function eventView(event: WebhookEvent) {
  return {
    id: event.id,
    object: 'event' as const,
    type: event.type,
    created: event.created,
    livemode: event.mode === 'live',
    data: { object: event.data.object },
  };
}

/** One attempt of the delivery log. */
export function webhookDeliveryView(attempt: DeliveryAttempt) {
  return {
    object: 'webhook_delivery' as const,
    event: attempt.eventId,
    attempt: attempt.attempt,
    attempted_at: epochSeconds(attempt.attemptedAt),
    status_code: attempt.statusCode ?? null,
    duration_ms: attempt.durationMs,
    next_attempt_at: attempt.nextAttemptAt === undefined ? null : epochSeconds(attempt.nextAttemptAt),
    ...(attempt.error === undefined ? {} : { error: attempt.error }),
  };
}
