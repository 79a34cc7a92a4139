import {
  storedWebhookEvent,
  WebhookEventEntity,
  webhookRecordOf,
} from '../../../../shared/adapters/dynamodb/entities/webhook-event.js';
import { MalformedItemError } from '../../../../shared/adapters/dynamodb/entity.js';
import type { WebhookRecord } from '../../../../shared/app/webhooks/ports.js';

const AT = '2030-01-01T10:00:00.000Z';

/** A settled record with every optional field set: a field the definition forgot would vanish on read. */
const settled: WebhookRecord = {
  eventId: 'stripe:evt_1',
  provider: 'stripe',
  providerEventId: 'evt_1',
  type: 'charge.dispute.created',
  objectId: 'pi_1',
  paymentId: 'pi_1',
  status: 'processed',
  deliveries: 2,
  failures: 1,
  outcome: 'dispute_noted',
  reason: 'no_subject',
  subject: { type: 'topup', id: 'top_1' },
  details: { disputeId: 'dp_1', amount: 500 },
  lastError: 'ProcessorError: down',
  providerCreatedAt: AT,
  receivedAt: AT,
  updatedAt: AT,
  settledAt: AT,
  event: {
    provider: 'stripe',
    id: 'evt_1',
    type: 'charge.dispute.created',
    objectId: 'pi_1',
    paymentId: 'pi_1',
    details: { disputeId: 'dp_1', amount: 500 },
    createdAt: AT,
    payload: { id: 'evt_1' },
  },
};

describe('Entity: WebhookEvent', () => {
  it('reads back every field of a settled record, past the TTL the item carries', () => {
    // Arrange
    const item = { ...WebhookEventEntity.toItem(storedWebhookEvent(settled)), expiresAt: 1_900_000_000 };

    // Act & Assert
    expect(webhookRecordOf(item)).toEqual(settled);
  });

  it('refuses an item whose status is not a webhook status', () => {
    // Arrange
    const item = { ...WebhookEventEntity.toItem(storedWebhookEvent(settled)), status: 'done' };

    // Act & Assert
    expect(() => webhookRecordOf(item)).toThrow(MalformedItemError);
  });

  it('refuses an item whose stored event is not a provider event', () => {
    // Arrange
    const { provider: _dropped, ...event } = settled.event;
    const item = { ...WebhookEventEntity.toItem(storedWebhookEvent(settled)), event: JSON.stringify(event) };

    // Act & Assert
    expect(() => webhookRecordOf(item)).toThrow(/WebhookEvent.*event\.provider/);
  });
});
