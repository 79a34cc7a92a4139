import { resendEvent } from '../../../../shared/app/webhook-endpoints/events.js';
import { produceWebhookEvent } from '../../../../shared/app/webhook-endpoints/produce.js';
import type { WebhookEndpoint } from '../../../../shared/domain/webhook-events.js';
import { sequentialIds } from '../../../support/fakes/ids.js';
import {
  fakeAppOwners,
  InMemoryWebhookEndpoints,
  InMemoryWebhookEvents,
  RecordingDeliveryQueue,
} from '../../../support/fakes/webhook-endpoints.js';

const tenant = { merchantId: 'mch_a', mode: 'test' as const };

function endpoint(
  id: string,
  enabledEvents: string[],
  status: 'enabled' | 'disabled' = 'enabled',
): WebhookEndpoint {
  return { id, ...tenant, url: 'http://127.0.0.1:9/h', enabledEvents, status, created: 1 };
}

async function setup(list: WebhookEndpoint[]) {
  const endpoints = new InMemoryWebhookEndpoints();
  for (const e of list) await endpoints.create(e, 'sealed');
  const events = new InMemoryWebhookEvents();
  const queue = new RecordingDeliveryQueue();
  const apps = fakeAppOwners({ app_1: { merchantId: 'mch_app', mode: 'live' } });
  return { endpoints, events, queue, deps: { events, endpoints, queue, apps, ids: sequentialIds() } };
}

const succeeded = (object?: Record<string, unknown>) => ({
  detailType: 'payment_intent.succeeded',
  detail: {
    eventId: 'payment_intent.succeeded:pi_1',
    occurredAt: '2026-12-07T10:00:00.000Z',
    ...tenant,
    paymentIntentId: 'pi_1',
    status: 'succeeded',
    amount: 2000,
    amountReceived: 2000,
    currency: 'USD',
    ...(object === undefined ? {} : { object }),
  },
});

describe('Function: produceWebhookEvent', () => {
  it('records the event with the object the emitter gave and queues one task per endpoint that wants it', async () => {
    // Arrange
    const { deps, queue, events } = await setup([
      endpoint('we_all', ['*']),
      endpoint('we_pi', ['payment_intent.succeeded']),
      endpoint('we_refunds', ['refund.created']),
      endpoint('we_off', ['*'], 'disabled'),
    ]);
    const object = { id: 'pi_1', object: 'payment_intent', amount: 2000, status: 'succeeded' };

    // Act
    const result = await produceWebhookEvent(succeeded(object), deps);

    // Assert
    expect(result).toMatchObject({ outcome: 'recorded', queued: 2 });
    const [event] = [...events.events.values()];
    expect(event).toMatchObject({
      type: 'payment_intent.succeeded',
      created: 1_796_637_600,
      objectId: 'pi_1',
      sequence: 1,
      data: { object },
    });
    expect(event?.id).toMatch(/^evt_/);
    expect(queue.tasks.map((t) => t.endpointId).sort()).toEqual(['we_all', 'we_pi']);
    expect(queue.tasks.every((t) => t.eventId === event?.id && t.resend === undefined)).toBe(true);
  });

  it('records nothing new and queues nothing more when the bus redelivers the event after it was attempted', async () => {
    // Arrange
    const { deps, queue, events } = await setup([endpoint('we_all', ['*'])]);
    await produceWebhookEvent(succeeded(), deps);
    for (const [key, delivery] of events.deliveries) events.deliveries.set(key, { ...delivery, attempts: 1 });

    // Act
    const again = await produceWebhookEvent(succeeded(), deps);

    // Assert
    expect(again).toMatchObject({ outcome: 'redelivered', queued: 0 });
    expect(events.events.size).toBe(1);
    expect(queue.tasks).toHaveLength(1);
  });

  it('queues again a delivery a stopped run left unqueued (pending, never attempted)', async () => {
    // Arrange
    const { deps, queue } = await setup([endpoint('we_all', ['*'])]);
    await produceWebhookEvent(succeeded(), deps);

    // Act
    const again = await produceWebhookEvent(succeeded(), deps);

    // Assert
    expect(again).toMatchObject({ outcome: 'redelivered', queued: 1 });
    expect(queue.tasks).toHaveLength(2);
  });

  it("builds the object from the detail when the emitter gave none, and finds a mini-app payment's merchant by its app", async () => {
    // Arrange
    const { deps, events } = await setup([]);

    // Act
    await produceWebhookEvent(succeeded(), deps);
    const payment = await produceWebhookEvent(
      {
        detailType: 'payment.completed',
        detail: {
          eventId: 'payment.completed:pay_1',
          occurredAt: '2026-12-07T10:00:00.000Z',
          paymentId: 'pay_1',
          userId: '@alice:tween.example',
          appId: 'app_1',
          amount: { value: 500, currency: 'USD' },
          description: 'Coffee',
          completedAt: '2026-12-07T10:00:00.000Z',
        },
      },
      deps,
    );

    // Assert
    expect(payment.outcome).toBe('recorded');
    const recorded = [...events.events.values()];
    expect(recorded[0]?.data.object).toEqual({
      id: 'pi_1',
      object: 'payment_intent',
      amount: 2000,
      amount_received: 2000,
      currency: 'usd',
      status: 'succeeded',
      livemode: false,
    });
    expect(recorded[1]).toMatchObject({ merchantId: 'mch_app', mode: 'live', objectId: 'pay_1' });
  });

  it('numbers the events of one object in the order they are recorded', async () => {
    // Arrange
    const { deps, events } = await setup([]);
    const failed = {
      detailType: 'payment_intent.payment_failed',
      detail: {
        ...succeeded().detail,
        eventId: 'payment_intent.payment_failed:pi_1:1',
        status: 'requires_payment_method',
      },
    };

    // Act
    await produceWebhookEvent(failed, deps);
    await produceWebhookEvent(succeeded(), deps);

    // Assert
    expect([...events.events.values()].map((e) => [e.type, e.sequence])).toEqual([
      ['payment_intent.payment_failed', 1],
      ['payment_intent.succeeded', 2],
    ]);
  });

  it('skips a mini-app payment of an unknown app, and fails loudly on a detail that breaks its schema', async () => {
    // Arrange
    const { deps, events } = await setup([]);
    const unknownApp = {
      detailType: 'payment.completed',
      detail: {
        eventId: 'payment.completed:pay_2',
        occurredAt: '2026-12-07T10:00:00.000Z',
        paymentId: 'pay_2',
        userId: '@alice:tween.example',
        appId: 'app_gone',
        amount: { value: 500, currency: 'USD' },
        description: '',
        completedAt: '2026-12-07T10:00:00.000Z',
      },
    };

    // Act
    const skipped = await produceWebhookEvent(unknownApp, deps);
    const broken = produceWebhookEvent(
      { detailType: 'refund.created', detail: { merchantId: 'mch_a' } },
      deps,
    );

    // Assert
    expect(skipped).toEqual({ outcome: 'no_merchant' });
    await expect(broken).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(events.events.size).toBe(0);
  });
});

describe('Function: resendEvent', () => {
  const caller = { ...tenant, scopes: ['webhooks:write' as const], keyId: 'key_1' };

  it('queues a resend task, opening the delivery of an endpoint made after the event', async () => {
    // Arrange
    const { deps, queue, events, endpoints } = await setup([]);
    const { eventId } = (await produceWebhookEvent(succeeded(), deps)) as { eventId: string };
    await endpoints.create(endpoint('we_new', ['*']), 'sealed');

    // Act
    await resendEvent(caller, eventId, 'we_new', deps);

    // Assert
    expect(queue.tasks).toEqual([{ ...tenant, endpointId: 'we_new', eventId, resend: true }]);
    expect(events.deliveries.size).toBe(1);
  });

  it("answers 400 for an endpoint that does not take the type, 404 for another merchant's", async () => {
    // Arrange
    const { deps, queue, endpoints } = await setup([endpoint('we_refunds', ['refund.created'])]);
    const { eventId } = (await produceWebhookEvent(succeeded(), deps)) as { eventId: string };
    await endpoints.create({ ...endpoint('we_theirs', ['*']), merchantId: 'mch_b' }, 'sealed');

    // Act
    const unwanted = resendEvent(caller, eventId, 'we_refunds', deps);
    const theirs = resendEvent(caller, eventId, 'we_theirs', deps);
    const otherEvent = resendEvent({ ...caller, merchantId: 'mch_b' }, eventId, 'we_theirs', deps);

    // Assert
    await expect(unwanted).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { field: 'endpoint' },
    });
    await expect(theirs).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(otherEvent).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(queue.tasks).toEqual([]);
  });
});
