import { ValidationError } from '../domain/errors.js';
import {
  type DomainEvent,
  type DomainEventDetail,
  type DomainEventType,
  parseDomainEvent,
} from '../domain/events.js';

/**
 * A chat room service that posts custom events into rooms (a Matrix homeserver's client-server API).
 * `txnId` makes a send idempotent: the same transaction id again returns the first event, posts nothing.
 * Throws RoomRejectedError when the room refuses the event (a retry would not help) and
 * HomeserverUnavailableError when the homeserver did not answer after bounded retries.
 */
export interface RoomMessenger {
  send(
    roomId: string,
    eventType: string,
    txnId: string,
    content: Readonly<Record<string, unknown>>,
  ): Promise<{ eventId: string }>;
}

/** The Matrix event types the service posts (API.md, "Matrix events"). */
export type RoomEventType =
  | 'm.tween.payment.completed'
  | 'm.tween.wallet.p2p'
  | 'm.tween.wallet.p2p.status'
  | 'm.tween.gift'
  | 'm.tween.gift.opened';

export interface RoomEvent {
  roomId: string;
  type: RoomEventType;
  /** The domain event id: a redelivered domain event is the same Matrix transaction. */
  txnId: string;
  content: Record<string, unknown>;
}

export interface PublishedRoomEvent {
  roomId: string;
  type: RoomEventType;
  txnId: string;
  /** The homeserver's event id (`$...`). */
  eventId: string;
}

/** An event on the bus as the publisher receives it. */
export interface BusEvent {
  detailType: string;
  detail: unknown;
}

/**
 * 1. Check the detail against the schema of its detail-type (an unknown type or a broken detail throws, so
 *    the event ends in the dead-letter queue instead of vanishing).
 * 2. Map it to the Matrix event type and content of API.md.
 * 3. Send it to its room with the domain event id as the transaction id (a redelivery posts nothing new).
 */
export async function publishToRoom(event: BusEvent, messenger: RoomMessenger): Promise<PublishedRoomEvent> {
  const roomEvent = toRoomEvent(parseDomainEvent(event.detailType, event.detail));
  const { eventId } = await messenger.send(
    roomEvent.roomId,
    roomEvent.type,
    roomEvent.txnId,
    roomEvent.content,
  );
  return { roomId: roomEvent.roomId, type: roomEvent.type, txnId: roomEvent.txnId, eventId };
}

/** The room event of a domain event; the content uses the snake_case names of the API shapes. */
export function toRoomEvent(event: DomainEvent): RoomEvent {
  const { roomId, eventId } = event.detail;
  if (roomId === undefined) {
    // The rule only routes events with a roomId here; one without is a contract break, not a no-op.
    throw new ValidationError(`The ${event.type} event has no roomId to publish to`, {
      detailType: event.type,
      issues: [{ path: 'roomId', message: 'is required to publish to a room' }],
    });
  }
  const [type, content] = roomContent(event);
  return { roomId, type, txnId: eventId, content };
}

function roomContent(event: DomainEvent): [RoomEventType, Record<string, unknown>] {
  switch (event.type) {
    case 'payment.completed':
      return ['m.tween.payment.completed', paymentCompleted(event.detail)];
    case 'payment.failed':
    case 'payment_intent.succeeded':
    case 'payment_intent.payment_failed':
    case 'payment_intent.canceled':
    case 'payment_intent.requires_action':
    case 'customer.created':
    case 'refund.created':
    case 'refund.updated':
    case 'payout.paid':
    case 'payout.failed':
    case 'merchant.updated':
    case 'invoice.created':
    case 'invoice.finalized':
    case 'invoice.paid':
    case 'invoice.payment_failed':
    case 'invoice.voided':
    case 'invoice.marked_uncollectible':
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
    case 'checkout.session.completed':
    case 'checkout.session.expired':
      // No room event for these in the contract (API.md, "Matrix events"): they go to audit and merchants.
      throw new ValidationError(`The ${event.type} event is not posted to rooms`, {
        detailType: event.type,
        issues: [{ path: 'detailType', message: 'has no room event' }],
      });
    case 'p2p.initiated':
      return ['m.tween.wallet.p2p', p2pInitiated(event.detail)];
    case 'p2p.completed':
    case 'p2p.rejected':
    case 'p2p.cancelled':
    case 'p2p.expired':
      return [
        'm.tween.wallet.p2p.status',
        { transfer_id: event.detail.transferId, status: p2pStatuses[event.type] },
      ];
    case 'gift.created':
      return ['m.tween.gift', giftCreated(event.detail)];
    case 'gift.opened':
      return ['m.tween.gift.opened', giftOpened(event.detail)];
    case 'gift.expired':
      return ['m.tween.gift', giftExpired(event.detail)];
    default: {
      const unknown: never = event;
      throw new Error(`No room event for ${String((unknown as { type: unknown }).type)}`);
    }
  }
}

const p2pStatuses = {
  'p2p.completed': 'completed',
  'p2p.rejected': 'rejected',
  'p2p.cancelled': 'cancelled',
  'p2p.expired': 'expired',
} as const satisfies Partial<Record<DomainEventType, string>>;

function paymentCompleted(detail: DomainEventDetail<'payment.completed'>): Record<string, unknown> {
  return {
    payment_id: detail.paymentId,
    // Who paid: the room is told by the payer's own payment (the payer must be a member), never by another's.
    payer: { user_id: detail.userId },
    app_id: detail.appId,
    amount: detail.amount.value,
    currency: detail.amount.currency,
    description: detail.description,
    completed_at: detail.completedAt,
  };
}

function p2pInitiated(detail: DomainEventDetail<'p2p.initiated'>): Record<string, unknown> {
  // Only user ids go to the room: wallet ids are not for every member to read.
  return {
    transfer_id: detail.transferId,
    status: 'pending_recipient_acceptance',
    amount: detail.amount,
    currency: detail.currency,
    sender: { user_id: detail.sender },
    recipient: { user_id: detail.recipient },
    note: detail.note ?? null,
    expires_at: detail.expiresAt,
  };
}

function giftCreated(detail: DomainEventDetail<'gift.created'>): Record<string, unknown> {
  return {
    gift_id: detail.giftId,
    type: 'group',
    status: 'active',
    total_amount: detail.totalAmount,
    currency: detail.currency,
    count: detail.count,
    remaining: detail.count,
    distribution: detail.distribution,
    message: detail.message ?? null,
    creator: { user_id: detail.creator },
    expires_at: detail.expiresAt,
  };
}

function giftOpened(detail: DomainEventDetail<'gift.opened'>): Record<string, unknown> {
  return {
    gift_id: detail.giftId,
    user_id: detail.userId,
    amount: detail.amount,
    currency: detail.currency,
    remaining: detail.remaining,
  };
}

function giftExpired(detail: DomainEventDetail<'gift.expired'>): Record<string, unknown> {
  return {
    gift_id: detail.giftId,
    status: 'expired',
    remaining: detail.remaining,
    refunded_amount: detail.refundedAmount,
    currency: detail.currency,
  };
}
