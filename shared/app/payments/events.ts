import { domainEventId } from '../../domain/events.js';
import type { Payment } from '../../domain/payment.js';

/** The detail of `payment.completed` (shared/domain/events.ts), as the lifecycle puts it on the bus. */
export function paymentCompletedDetail(payment: Payment) {
  return {
    eventId: domainEventId('payment.completed', payment.paymentId),
    occurredAt: payment.completedAt ?? payment.updatedAt,
    paymentId: payment.paymentId,
    userId: payment.userId,
    appId: payment.appId,
    amount: payment.amount,
    description: payment.description,
    completedAt: payment.completedAt ?? payment.updatedAt,
    ...(payment.roomId === undefined ? {} : { roomId: payment.roomId }),
  };
}

/** `payment.failed` goes to audit and merchants, not to rooms: it carries no roomId. */
export function paymentFailedDetail(payment: Payment) {
  return {
    eventId: domainEventId('payment.failed', payment.paymentId),
    occurredAt: payment.updatedAt,
    paymentId: payment.paymentId,
    userId: payment.userId,
    appId: payment.appId,
    amount: payment.amount,
    failureCode: payment.failureCode ?? 'failed',
  };
}
