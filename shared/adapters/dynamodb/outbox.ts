/**
 * The transactional outbox: a domain event written in the same TransactWriteItems as the state change it
 * announces, so the event exists exactly when the change does. The table stream carries every new outbox
 * item to the relay function (functions/events/outbox-relay.ts), which puts it on the event bus; the item
 * expires by TTL after a week.
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DomainEventDetail, DomainEventType } from '../../domain/events.js';
import { OUTBOX_ENTITY } from '../../infra/table.js';
import { ABSENT } from './entity.js';
import { outboxKey } from './keys.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const RETENTION_SECONDS = 7 * 86_400;

/** An outbox item as stored (and as the stream's NEW_IMAGE carries it). */
export interface OutboxItem {
  PK: string;
  SK: string;
  type: typeof OUTBOX_ENTITY;
  detailType: DomainEventType;
  detail: Record<string, unknown>;
  /** TTL, epoch seconds. */
  expiresAt: number;
}

export function outboxItem<T extends DomainEventType>(
  detailType: T,
  detail: DomainEventDetail<T>,
  now: Date,
): OutboxItem {
  return {
    ...outboxKey(detail.eventId),
    type: OUTBOX_ENTITY,
    detailType,
    detail: { ...detail },
    expiresAt: Math.floor(now.getTime() / 1000) + RETENTION_SECONDS,
  };
}

/**
 * The Put of one outbox event, for a caller's transaction. The event id is deterministic, so an event
 * already written (the same change retried) makes the put fail its condition: the change is a repeat.
 */
export function outboxPut<T extends DomainEventType>(
  tableName: string,
  detailType: T,
  detail: DomainEventDetail<T>,
  now: Date,
): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: outboxItem(detailType, detail, now),
      ConditionExpression: ABSENT,
    },
  };
}
