/**
 * The Matrix room publisher on the running local stack: domain events put on the bus with the AWS SDK, as a
 * state machine would, and the room read back through the local homeserver's helper routes. Other test files
 * share the stack, so every test makes its own room and ids.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Delivery } from '../../local/eventbridge/bus.js';
import { auditEventKey } from '../../shared/adapters/dynamodb/keys.js';
import { domainEventId } from '../../shared/domain/events.js';
import { EVENT_SOURCE, eventBusDefinition } from '../../shared/infra/events.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { call, endpoint } from '../support/api.js';
import { joinRoom, roomEvents, waitFor } from '../support/stack.js';

const awsConfig = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 1,
};
const ALICE = '@alice:tween.example';

interface EventsView {
  deliveries: Delivery[];
}

function newRoom(): string {
  return `!pay-${randomUUID()}:tween.example`;
}

async function deliveriesOf(busEventId: string): Promise<Delivery[]> {
  const view = await call<EventsView>('GET', '/local/events');
  return view.body.deliveries.filter((delivery) => delivery.eventId === busEventId);
}

/** Waits until every delivery of the bus event has finished (delivered or failed), and returns them. */
function settled(busEventId: string): Promise<Delivery[]> {
  return waitFor(async () => {
    const deliveries = await deliveriesOf(busEventId);
    const done = deliveries.length > 0 && deliveries.every((delivery) => delivery.status !== 'pending');
    return done ? deliveries : undefined;
  }, `the deliveries of ${busEventId}`);
}

function paymentCompleted(paymentId: string, roomId?: string) {
  return {
    eventId: domainEventId('payment.completed', paymentId),
    occurredAt: '2030-01-01T10:00:00.000Z',
    ...(roomId === undefined ? {} : { roomId }),
    paymentId,
    userId: ALICE,
    appId: 'ma_shop_001',
    amount: { value: 1050, currency: 'USD' },
    description: 'Order #12',
    completedAt: '2030-01-01T10:00:00.000Z',
  };
}

describe('Function: matrixPublisher (local stack)', () => {
  let events: EventBridgeClient;
  let documents: DynamoDBDocumentClient;

  beforeAll(() => {
    events = new EventBridgeClient({ ...awsConfig, endpoint: endpoint('eventBridge') });
    documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({ ...awsConfig, endpoint: endpoint('dynamodb') }),
    );
  });

  afterAll(() => {
    events.destroy();
    documents.destroy();
  });

  async function put(detailType: string, detail: Record<string, unknown>): Promise<string> {
    const answer = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: eventBusDefinition.localName,
            Source: EVENT_SOURCE,
            DetailType: detailType,
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    );
    expect(answer.FailedEntryCount).toBe(0);
    const busEventId = answer.Entries?.[0]?.EventId;
    if (busEventId === undefined) throw new Error('PutEvents returned no event id');
    return busEventId;
  }

  it('posts m.tween.payment.completed to the room with the payment fields when a payment completes', async () => {
    // Arrange
    const roomId = newRoom();
    const paymentId = `pay_${randomUUID()}`;
    await joinRoom(roomId, ALICE);

    // Act
    await put('payment.completed', paymentCompleted(paymentId, roomId));
    const [posted] = await waitFor(async () => {
      const sent = await roomEvents(roomId);
      return sent.length > 0 ? sent : undefined;
    }, 'the room event');

    // Assert
    expect(posted).toMatchObject({
      type: 'm.tween.payment.completed',
      room_id: roomId,
      txn_id: `payment.completed:${paymentId}`,
      content: {
        payment_id: paymentId,
        app_id: 'ma_shop_001',
        amount: 1050,
        currency: 'USD',
        description: 'Order #12',
        completed_at: '2030-01-01T10:00:00.000Z',
      },
    });
  });

  it('posts once when the same domain event is put on the bus twice', async () => {
    // Arrange
    const roomId = newRoom();
    const detail = paymentCompleted(`pay_${randomUUID()}`, roomId);
    await joinRoom(roomId, ALICE);

    // Act
    const first = await put('payment.completed', detail);
    const second = await put('payment.completed', detail);
    const deliveries = [...(await settled(first)), ...(await settled(second))];

    // Assert
    const publisher = deliveries.filter((delivery) => delivery.target === 'matrixPublisher');
    expect(publisher.map((delivery) => delivery.status)).toEqual(['delivered', 'delivered']);
    const sent = await roomEvents(roomId);
    expect(sent.map((event) => event.txn_id)).toEqual([detail.eventId]);
  });

  it('posts nothing for an event without a roomId, and the audit log still keeps it', async () => {
    // Arrange
    const detail = paymentCompleted(`pay_${randomUUID()}`);

    // Act
    const busEventId = await put('payment.completed', detail);
    const deliveries = await settled(busEventId);
    const audited = await documents.send(
      new GetCommand({ TableName: tableDefinition.localName, Key: auditEventKey(busEventId) }),
    );

    // Assert
    // (a mini-app payment's event also goes to its merchant's webhooks: not the publisher's concern here)
    const targets = deliveries.map((delivery) => [delivery.target, delivery.status]);
    expect(targets).toContainEqual(['eventsAudit', 'delivered']);
    expect(targets.filter(([target]) => target === 'matrixPublisher')).toEqual([]);
    expect(audited.Item).toMatchObject({ detailType: 'payment.completed', detail });
  });

  it('keeps the event as a failed delivery, after retries, when the homeserver refuses the room', async () => {
    // Arrange: nobody joined this room, so the homeserver answers M_FORBIDDEN
    const roomId = newRoom();

    // Act
    const busEventId = await put('payment.completed', paymentCompleted(`pay_${randomUUID()}`, roomId));
    const deliveries = await settled(busEventId);

    // Assert: locally a failed delivery is recorded (on AWS it lands in the dead-letter queue)
    const publisher = deliveries.find((delivery) => delivery.target === 'matrixPublisher');
    expect(publisher).toMatchObject({ status: 'failed' });
    expect(publisher?.attempts).toBeGreaterThan(1);
    expect(await roomEvents(roomId)).toEqual([]);
  });

  it('keeps an event whose detail breaks the contract as a failed delivery instead of dropping it', async () => {
    // Arrange
    const roomId = newRoom();
    await joinRoom(roomId, ALICE);
    const broken = { ...paymentCompleted(`pay_${randomUUID()}`, roomId), amount: { value: '10.50' } };

    // Act
    const busEventId = await put('payment.completed', broken);
    const deliveries = await settled(busEventId);

    // Assert
    expect(deliveries.find((delivery) => delivery.target === 'matrixPublisher')).toMatchObject({
      status: 'failed',
    });
    expect(await roomEvents(roomId)).toEqual([]);
  });
});
