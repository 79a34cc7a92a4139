/**
 * The outbound webhook stores on DynamoDB Local (a table of their own): what no fake can show, the
 * conditional writes under a redelivered bus event and under twin delivery workers, and the Queries of the
 * tenant partition that keep order per object and the delivery log.
 */
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { merchantTenantPartition } from '../../shared/adapters/dynamodb/keys.js';
import { DynamoDbDeliveryStore } from '../../shared/adapters/dynamodb/webhook-deliveries.js';
import {
  DynamoDbWebhookEndpoints,
  DynamoDbWebhookEvents,
} from '../../shared/adapters/dynamodb/webhook-endpoints.js';
import type { Tenant } from '../../shared/app/webhook-endpoints/ports.js';
import { pendingDelivery } from '../../shared/app/webhook-endpoints/produce.js';
import { ConcurrentModificationError } from '../../shared/domain/errors.js';
import type { Delivery, DeliveryAttempt, WebhookEndpoint } from '../../shared/domain/webhook-events.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { createLocalTable, localDocumentClient } from '../support/ledger.js';

const TABLE_NAME = `${tableDefinition.localName}-webhook-store`;
const client = localDocumentClient();
const clock = { now: () => new Date() };
const endpoints = new DynamoDbWebhookEndpoints(client, TABLE_NAME, clock);
const events = new DynamoDbWebhookEvents(client, TABLE_NAME, clock);
const deliveries = new DynamoDbDeliveryStore(client, TABLE_NAME, async (sealed) => `opened:${sealed}`);

const short = () => randomUUID().replaceAll('-', '').slice(0, 12);

function newTenant(): Tenant {
  return { merchantId: `mch_${short()}`, mode: 'test' };
}

async function newEndpoint(tenant: Tenant): Promise<WebhookEndpoint> {
  const endpoint: WebhookEndpoint = {
    id: `we_${short()}`,
    ...tenant,
    url: 'http://127.0.0.1:9/hook',
    enabledEvents: ['*'],
    status: 'enabled',
    created: Math.floor(Date.now() / 1000),
  };
  return (await endpoints.create(endpoint, 'sealed-secret')).endpoint;
}

function newEvent(tenant: Tenant, objectId: string, type = 'payment_intent.succeeded') {
  return {
    id: `evt_${short()}`,
    ...tenant,
    type,
    created: Math.floor(Date.now() / 1000),
    objectId,
    data: { object: { id: objectId, object: 'payment_intent' } },
  };
}

function attemptOf(delivery: Delivery, n: number, statusCode?: number): DeliveryAttempt {
  return {
    merchantId: delivery.merchantId,
    mode: delivery.mode,
    endpointId: delivery.endpointId,
    eventId: delivery.eventId,
    attempt: n,
    attemptedAt: new Date(Date.now() + n).toISOString(),
    ...(statusCode === undefined ? { error: 'connection_refused' } : { statusCode }),
    durationMs: 12,
  };
}

async function itemsOf(tenant: Tenant, prefix: string): Promise<Record<string, unknown>[]> {
  const { Items: items = [] } = await client.send(
    new QueryCommand({
      TableName: TABLE_NAME,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': merchantTenantPartition(tenant.merchantId, tenant.mode),
        ':prefix': prefix,
      },
      ConsistentRead: true,
    }),
  );
  return items;
}

async function recordedWithDelivery(tenant: Tenant, endpoint: WebhookEndpoint, objectId: string) {
  const { event } = await events.record(newEvent(tenant, objectId));
  const [delivery] = await events.openDeliveries([pendingDelivery(endpoint, event)]);
  if (delivery === undefined) throw new Error('no delivery opened');
  return { event, delivery };
}

beforeAll(async () => {
  await createLocalTable(TABLE_NAME);
});

describe('Class: DynamoDbWebhookEvents', () => {
  it('records nothing new when the bus redelivers the same domain event', async () => {
    // Arrange
    const tenant = newTenant();
    const input = newEvent(tenant, `pi_${short()}`);
    const first = await events.record(input);

    // Act
    const again = await events.record({ ...input, data: { object: { changed: true } } });

    // Assert
    expect(first.recorded).toBe(true);
    expect(again).toEqual({ event: first.event, recorded: false });
    expect(await itemsOf(tenant, 'EVENT#')).toHaveLength(1);
    expect(await events.get(tenant, input.id)).toEqual(first.event);
  });

  it('numbers the events of one object 1, 2, 3 when they are recorded at once', async () => {
    // Arrange
    const tenant = newTenant();
    const objectId = `pi_${short()}`;

    // Act
    const recorded = await Promise.all([1, 2, 3].map(() => events.record(newEvent(tenant, objectId))));

    // Assert
    expect(recorded.map((r) => r.event.sequence).sort()).toEqual([1, 2, 3]);
  });

  it('lists events newest first, by type when asked, and never another mode', async () => {
    // Arrange
    const tenant = newTenant();
    const a = await events.record(newEvent(tenant, `pi_${short()}`));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const b = await events.record(newEvent(tenant, `re_${short()}`, 'refund.created'));
    await events.record(newEvent({ ...tenant, mode: 'live' }, `pi_${short()}`));

    // Act
    const all = await events.list(tenant, { limit: 10 });
    const refunds = await events.list(tenant, { limit: 10, type: 'refund.created' });

    // Assert
    expect(all.items.map((e) => e.id)).toEqual([b.event.id, a.event.id]);
    expect(refunds.items.map((e) => e.id)).toEqual([b.event.id]);
  });

  it('opens a delivery once, and hands it out again only while it has no attempt', async () => {
    // Arrange
    const tenant = newTenant();
    const endpoint = await newEndpoint(tenant);
    const { event, delivery } = await recordedWithDelivery(tenant, endpoint, `pi_${short()}`);

    // Act
    const reopened = await events.openDeliveries([pendingDelivery(endpoint, event)]);
    await deliveries.recordAttempt(
      attemptOf(delivery, 1, 200),
      { ...delivery, status: 'succeeded', attempts: 1 },
      0,
    );
    const afterAttempt = await events.openDeliveries([pendingDelivery(endpoint, event)]);

    // Assert
    expect(reopened).toEqual([delivery]);
    expect(afterAttempt).toEqual([]);
    expect(await itemsOf(tenant, 'WHDELIVERY#')).toHaveLength(1);
  });
});

describe('Class: DynamoDbDeliveryStore', () => {
  it('records one attempt when twin workers record the same one, the other losing with a conflict', async () => {
    // Arrange
    const tenant = newTenant();
    const endpoint = await newEndpoint(tenant);
    const { delivery } = await recordedWithDelivery(tenant, endpoint, `pi_${short()}`);
    const next: Delivery = { ...delivery, status: 'succeeded', attempts: 1 };

    // Act
    const outcomes = await Promise.allSettled([
      deliveries.recordAttempt(attemptOf(delivery, 1, 200), next, 0),
      deliveries.recordAttempt(
        { ...attemptOf(delivery, 1, 200), attemptedAt: new Date().toISOString() },
        next,
        0,
      ),
    ]);

    // Assert
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const lost = outcomes.find((o) => o.status === 'rejected');
    expect(lost?.status === 'rejected' && lost.reason).toBeInstanceOf(ConcurrentModificationError);
    expect(await itemsOf(tenant, 'WHATTEMPT#')).toHaveLength(1);
    expect(await deliveries.delivery(delivery)).toEqual(next);
  });

  it('makes a later event of an object wait for an earlier one not yet acknowledged', async () => {
    // Arrange
    const tenant = newTenant();
    const endpoint = await newEndpoint(tenant);
    const objectId = `pi_${short()}`;
    const first = await recordedWithDelivery(tenant, endpoint, objectId);
    const second = await recordedWithDelivery(tenant, endpoint, objectId);
    const other = await recordedWithDelivery(tenant, endpoint, `pi_${short()}`);

    // Act
    const blocked = await deliveries.blockingDelivery(endpoint, second.event);
    await deliveries.recordAttempt(
      attemptOf(first.delivery, 1, 204),
      { ...first.delivery, status: 'succeeded', attempts: 1 },
      0,
    );
    const afterAck = await deliveries.blockingDelivery(endpoint, second.event);

    // Assert
    expect(blocked).toEqual(first.delivery);
    expect(afterAck).toBeUndefined();
    expect(await deliveries.blockingDelivery(endpoint, first.event)).toBeUndefined();
    expect(await deliveries.blockingDelivery(endpoint, other.event)).toBeUndefined();
  });

  it("starts the endpoint's failure clock on a failure, keeps it, clears it on a success", async () => {
    // Arrange
    const tenant = newTenant();
    const endpoint = await newEndpoint(tenant);
    const { delivery } = await recordedWithDelivery(tenant, endpoint, `pi_${short()}`);
    const firstFailure = attemptOf(delivery, 1);

    // Act
    await deliveries.recordAttempt(firstFailure, { ...delivery, attempts: 1 }, 0);
    await deliveries.recordAttempt(attemptOf(delivery, 2, 500), { ...delivery, attempts: 2 }, 1);
    const failing = await deliveries.endpoint(tenant.merchantId, tenant.mode, endpoint.id);
    await deliveries.recordAttempt(
      attemptOf(delivery, 3, 200),
      { ...delivery, status: 'succeeded', attempts: 3 },
      2,
    );
    const healthy = await deliveries.endpoint(tenant.merchantId, tenant.mode, endpoint.id);

    // Assert
    expect(failing?.failingSince).toBe(firstFailure.attemptedAt);
    expect(healthy?.failingSince).toBeUndefined();
    const log = await endpoints.attempts(tenant, endpoint.id, { limit: 10 });
    expect(log.items.map((a) => a.attempt)).toEqual([3, 2, 1]);
  });

  it('disables an endpoint failing since the same moment, once', async () => {
    // Arrange
    const tenant = newTenant();
    const endpoint = await newEndpoint(tenant);
    const { delivery } = await recordedWithDelivery(tenant, endpoint, `pi_${short()}`);
    await deliveries.recordAttempt(attemptOf(delivery, 1), { ...delivery, attempts: 1 }, 0);
    const failing = await deliveries.endpoint(tenant.merchantId, tenant.mode, endpoint.id);
    if (failing === undefined) throw new Error('endpoint gone');

    // Act
    const outcomes = await Promise.all([
      deliveries.disableFailing(failing),
      deliveries.disableFailing(failing),
    ]);

    // Assert
    expect(outcomes.sort()).toEqual([false, true]);
    expect(await endpoints.get(tenant, endpoint.id)).toMatchObject({
      status: 'disabled',
      disabledReason: 'failing',
    });
  });

  it("opens the endpoint's sealed secret through the opener it was given", async () => {
    // Arrange
    const tenant = newTenant();
    const endpoint = await newEndpoint(tenant);

    // Act
    const secret = await deliveries.signingSecret(endpoint);

    // Assert
    expect(secret).toBe('opened:sealed-secret');
  });
});

describe('Class: DynamoDbWebhookEndpoints', () => {
  it('keeps its tenant: another mode or merchant does not find, list or delete it', async () => {
    // Arrange
    const tenant = newTenant();
    const endpoint = await newEndpoint(tenant);
    const live = { ...tenant, mode: 'live' as const };
    const other = newTenant();

    // Act
    const deletedElsewhere = await Promise.all([
      endpoints.delete(live, endpoint.id),
      endpoints.delete(other, endpoint.id),
    ]);

    // Assert
    expect(deletedElsewhere).toEqual([false, false]);
    expect(await endpoints.get(live, endpoint.id)).toBeUndefined();
    expect((await endpoints.list(other, { limit: 10 })).items).toEqual([]);
    expect(await endpoints.all(tenant)).toEqual([endpoint]);
    expect(await endpoints.delete(tenant, endpoint.id)).toBe(true);
    expect(await endpoints.get(tenant, endpoint.id)).toBeUndefined();
  });
});
