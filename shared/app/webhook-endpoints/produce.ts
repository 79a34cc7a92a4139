/**
 * The webhook producer: a domain event a merchant cares about (the bus rule sends those with a `merchantId`,
 * and mini-app `payment.completed`, whose app names its merchant) becomes one recorded event (`evt_…`) and
 * a delivery task per endpoint that wants it.
 */
import { type DomainEvent, parseDomainEvent } from '../../domain/events.js';
import type { Delivery, WebhookEndpoint, WebhookEvent } from '../../domain/webhook-events.js';
import { endpointWants } from '../../domain/webhook-events.js';
import type { Ids } from '../ports.js';
import type { AppOwners, DeliveryQueue, Tenant, WebhookEndpointStore, WebhookEventStore } from './ports.js';

export interface ProducerDeps {
  events: WebhookEventStore;
  endpoints: Pick<WebhookEndpointStore, 'all'>;
  queue: DeliveryQueue;
  apps: AppOwners;
  ids: Ids;
}

export type ProduceResult =
  | { outcome: 'no_merchant' }
  | { outcome: 'recorded' | 'redelivered'; eventId: string; queued: number };

/**
 * 1. The detail is checked against its type's schema; the merchant is the detail's, or the app's.
 * 2. The event is recorded under an id derived from the domain event's, with the next sequence of its
 *    object (a redelivered domain event records nothing new).
 * 3. A pending delivery for each enabled endpoint that wants the type, created if absent; a task on the
 *    deliveries queue for each not yet attempted (so a run stopped before queueing is made good).
 */
export async function produceWebhookEvent(
  input: { detailType: string; detail: unknown },
  deps: ProducerDeps,
): Promise<ProduceResult> {
  const domainEvent = parseDomainEvent(input.detailType, input.detail);
  const tenant = await ownerOf(domainEvent, deps.apps);
  if (tenant === undefined) return { outcome: 'no_merchant' };
  const { objectId, object } = subjectOf(domainEvent, tenant);
  const { event, recorded } = await deps.events.record({
    id: deps.ids.derive('evt_', tenant.merchantId, tenant.mode, domainEvent.detail.eventId),
    ...tenant,
    type: domainEvent.type,
    created: Math.floor(Date.parse(domainEvent.detail.occurredAt) / 1000),
    objectId,
    data: { object },
  });
  const interested = (await deps.endpoints.all(tenant)).filter((endpoint) =>
    endpointWants(endpoint, event.type),
  );
  const waiting = await deps.events.openDeliveries(
    interested.map((endpoint) => pendingDelivery(endpoint, event)),
  );
  if (waiting.length > 0)
    await deps.queue.enqueue(
      waiting.map((delivery) => ({
        merchantId: delivery.merchantId,
        mode: delivery.mode,
        endpointId: delivery.endpointId,
        eventId: delivery.eventId,
      })),
    );
  return { outcome: recorded ? 'recorded' : 'redelivered', eventId: event.id, queued: waiting.length };
}

export function pendingDelivery(endpoint: WebhookEndpoint, event: WebhookEvent): Delivery {
  return {
    merchantId: event.merchantId,
    mode: event.mode,
    endpointId: endpoint.id,
    eventId: event.id,
    objectId: event.objectId,
    sequence: event.sequence,
    status: 'pending',
    attempts: 0,
  };
}

async function ownerOf(event: DomainEvent, apps: AppOwners): Promise<Tenant | undefined> {
  if (event.type === 'payment.completed') return apps.ownerOf(event.detail.appId);
  const detail: Record<string, unknown> = event.detail;
  const { merchantId, mode } = detail;
  if (typeof merchantId !== 'string' || (mode !== 'test' && mode !== 'live')) return undefined;
  return { merchantId, mode };
}

interface Subject {
  objectId: string;
  object: Record<string, unknown>;
}

/**
 * The object an event is about: its id (deliveries keep order per object) and the API view the emitter
 * put in the detail, or, for a detail without one, the fields the detail carries in the API's names.
 */
function subjectOf(event: DomainEvent, tenant: Tenant): Subject {
  const livemode = tenant.mode === 'live';
  const snapshot = (id: string, fallback: Record<string, unknown>): Subject => {
    const given = 'object' in event.detail ? event.detail.object : undefined;
    return { objectId: id, object: given ?? { id, ...fallback, livemode } };
  };
  switch (event.type) {
    case 'payment_intent.succeeded':
    case 'payment_intent.payment_failed':
    case 'payment_intent.canceled':
    case 'payment_intent.requires_action': {
      const d = event.detail;
      return snapshot(d.paymentIntentId, {
        object: 'payment_intent',
        amount: d.amount,
        amount_received: d.amountReceived,
        currency: d.currency.toLowerCase(),
        status: d.status,
      });
    }
    case 'customer.created': {
      const d = event.detail;
      return snapshot(d.customerId, {
        object: 'customer',
        email: d.email,
        name: d.name,
        metadata: d.metadata,
        created: Math.floor(Date.parse(d.createdAt) / 1000),
      });
    }
    case 'refund.created':
    case 'refund.updated': {
      const d = event.detail;
      return snapshot(d.refundId, {
        object: 'refund',
        amount: d.amount,
        currency: d.currency.toLowerCase(),
        status: d.status,
        [d.sourceId.startsWith('pi_') ? 'payment_intent' : 'payment']: d.sourceId,
      });
    }
    case 'payout.paid':
    case 'payout.failed': {
      const d = event.detail;
      return snapshot(d.payoutId, {
        object: 'payout',
        amount: d.amount,
        fee: d.fee,
        method: d.method,
        currency: d.currency.toLowerCase(),
        status: d.status,
        failure_code: d.failureCode ?? null,
      });
    }
    case 'merchant.updated':
      return snapshot(event.detail.merchantId, { object: 'merchant', status: event.detail.status });
    case 'invoice.created':
    case 'invoice.finalized':
    case 'invoice.paid':
    case 'invoice.payment_failed':
    case 'invoice.voided':
    case 'invoice.marked_uncollectible': {
      const d = event.detail;
      return snapshot(d.invoiceId, {
        object: 'invoice',
        customer: d.customerId,
        subscription: d.subscriptionId ?? null,
        number: d.number ?? null,
        status: d.status,
        total: d.total,
        amount_due: d.amountDue,
        currency: d.currency.toLowerCase(),
      });
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted': {
      const d = event.detail;
      return snapshot(d.subscriptionId, { object: 'subscription', customer: d.customerId, status: d.status });
    }
    case 'checkout.session.completed':
    case 'checkout.session.expired': {
      const d = event.detail;
      return snapshot(d.sessionId, {
        object: 'checkout.session',
        mode: d.sessionMode,
        status: d.status,
        amount_total: d.amountTotal,
        currency: d.currency.toLowerCase(),
        payment_intent: d.paymentIntentId ?? null,
        subscription: d.subscriptionId ?? null,
        customer: d.customerId ?? null,
      });
    }
    case 'payment.completed': {
      const d = event.detail;
      return snapshot(d.paymentId, {
        object: 'payment',
        amount: d.amount.value,
        currency: d.amount.currency.toLowerCase(),
        status: 'completed',
        app: d.appId,
        description: d.description,
        created: Math.floor(Date.parse(d.completedAt) / 1000),
      });
    }
    default:
      throw new Error(`No merchant object for a ${event.type} event`);
  }
}
