/**
 * PayPal's JSON as the PaymentProvider port's types: orders as payments (with their status read from the
 * captures), refunds, webhook events, and our metadata carried in `custom_id`. Pure functions, no calls: the
 * provider (paypal-provider.ts) makes the calls and reads the answers with these; errors are mapped in
 * map-error.ts.
 */
import type {
  ProviderEvent,
  ProviderPayment,
  ProviderPaymentStatus,
  ProviderRefund,
} from '../../app/payments/ports.js';
import { ValidationError } from '../../domain/errors.js';
import { ProcessorError } from '../../domain/provider-errors.js';
import { recordOf, stringOf } from '../../json.js';
import { fromPayPalValue } from './amounts.js';

/** PayPal's limit on `custom_id`, where our metadata travels. */
const CUSTOM_ID_MAX = 127;
/** The metadata keys that name our record: kept when the rest does not fit into `custom_id`. */
const SUBJECT_KEYS: readonly string[] = ['topupId', 'paymentId'];

type Json = Record<string, unknown>;

/** PayPal's order as the port's payment: its status, what was captured, and the metadata we sent along. */
export function toProviderPayment(order: Json): ProviderPayment {
  const currency = currencyOf(order);
  const unit = firstUnit(order);
  const amount = fromPayPalValue(requiredString(recordOf(unit?.amount)?.value), currency);
  const captures = capturesOf(order);
  const received = captures
    .filter(
      (capture) =>
        capture.status === 'COMPLETED' ||
        capture.status === 'PARTIALLY_REFUNDED' ||
        capture.status === 'REFUNDED',
    )
    .reduce(
      (sum, capture) => sum + fromPayPalValue(requiredString(recordOf(capture.amount)?.value), currency),
      0,
    );
  const payment: ProviderPayment = {
    provider: 'paypal',
    id: requiredString(order.id),
    status: paymentStatusOf(requiredString(order.status), captures),
    amount,
    amountReceived: received,
    currency,
  };
  if (payment.status === 'requires_action') {
    const approve = linkOf(order, 'payer-action') ?? linkOf(order, 'approve');
    if (approve !== undefined) payment.nextActionUrl = approve;
  }
  const metadata = metadataOf(stringOf(unit?.custom_id));
  if (metadata !== undefined) payment.metadata = metadata;
  if (payment.status === 'requires_payment_method') payment.failureCode = 'generic_decline';
  return payment;
}

function paymentStatusOf(status: string, captures: readonly Json[]): ProviderPaymentStatus {
  switch (status) {
    case 'CREATED':
    case 'PAYER_ACTION_REQUIRED':
      return 'requires_action';
    case 'SAVED':
    case 'APPROVED':
      return 'requires_confirmation';
    case 'VOIDED':
      return 'canceled';
    case 'COMPLETED':
      return completedStatusOf(captures);
    default:
      // A status newer than this code: nothing may be concluded from it.
      throw new ProcessorError({ retryable: false });
  }
}

/** A COMPLETED order only says the capture was attempted; the capture says how it went. */
function completedStatusOf(captures: readonly Json[]): ProviderPaymentStatus {
  const statuses = captures.map((capture) => capture.status);
  if (statuses.some((s) => s === 'COMPLETED' || s === 'PARTIALLY_REFUNDED' || s === 'REFUNDED'))
    return 'succeeded';
  if (statuses.some((s) => s === 'PENDING')) return 'processing';
  if (statuses.some((s) => s === 'DECLINED' || s === 'FAILED')) return 'requires_payment_method';
  return 'processing';
}

export function toProviderRefund(
  refund: Json,
  paymentId: string,
  currency: string | undefined,
): ProviderRefund {
  const amount = recordOf(refund.amount);
  const refundCurrency = stringOf(amount?.currency_code) ?? currency;
  if (refundCurrency === undefined) throw new ValidationError('The PayPal refund names no currency');
  return {
    provider: 'paypal',
    id: requiredString(refund.id),
    paymentId,
    amount: fromPayPalValue(requiredString(amount?.value), refundCurrency),
    currency: refundCurrency,
    status: refundStatusOf(stringOf(refund.status)),
  };
}

function refundStatusOf(status: string | undefined): ProviderRefund['status'] {
  switch (status) {
    case 'COMPLETED':
      return 'succeeded';
    case 'FAILED':
      return 'failed';
    case 'CANCELLED':
      return 'canceled';
    default:
      return 'pending';
  }
}

/**
 * A PayPal event as the port's: orders are their own object; a capture or refund is grouped under its order
 * (`supplementary_data.related_ids.order_id`), so one payment's events stay in order on the queue.
 */
export function toProviderEvent(event: Json): ProviderEvent {
  const id = stringOf(event.id);
  const type = stringOf(event.event_type);
  const resource = recordOf(event.resource);
  const resourceId = stringOf(resource?.id);
  if (id === undefined || type === undefined || resource === undefined || resourceId === undefined) {
    throw new ValidationError('The webhook event names no object');
  }
  const orderId =
    event.resource_type === 'checkout-order'
      ? resourceId
      : stringOf(recordOf(recordOf(resource.supplementary_data)?.related_ids)?.order_id);
  const details = detailsOf(type, resource);
  const created = stringOf(event.create_time);
  return {
    provider: 'paypal',
    id,
    type,
    objectId: orderId ?? resourceId,
    ...(orderId === undefined ? {} : { paymentId: orderId }),
    ...(details === undefined ? {} : { details }),
    createdAt:
      created === undefined || Number.isNaN(Date.parse(created))
        ? new Date(0).toISOString()
        : new Date(created).toISOString(),
    payload: event,
  };
}

function detailsOf(type: string, resource: Json): Record<string, string | number> | undefined {
  if (type !== 'PAYMENT.CAPTURE.REFUNDED') return undefined;
  const amount = recordOf(resource.amount);
  const currency = stringOf(amount?.currency_code);
  const value = stringOf(amount?.value);
  if (currency === undefined || value === undefined) return { refundId: requiredString(resource.id) };
  return {
    refundId: requiredString(resource.id),
    amountRefunded: fromPayPalValue(value, currency),
    currency,
  };
}

/** Our metadata in `custom_id` as a query string; only the keys naming our record if it all does not fit. */
export function customIdOf(metadata: Readonly<Record<string, string>> | undefined): string | undefined {
  if (metadata === undefined || Object.keys(metadata).length === 0) return undefined;
  const all = new URLSearchParams(metadata).toString();
  if (all.length <= CUSTOM_ID_MAX) return all;
  const subject = new URLSearchParams(
    Object.entries(metadata).filter(([key]) => SUBJECT_KEYS.includes(key)),
  ).toString();
  if (subject === '' || subject.length > CUSTOM_ID_MAX)
    throw new ValidationError('The metadata does not fit PayPal');
  return subject;
}

function metadataOf(customId: string | undefined): Record<string, string> | undefined {
  if (customId === undefined || customId === '') return undefined;
  const entries = [...new URLSearchParams(customId).entries()];
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

function firstUnit(order: Json): Json | undefined {
  return Array.isArray(order.purchase_units) ? recordOf(order.purchase_units[0]) : undefined;
}

export function currencyOf(order: Json): string {
  return requiredString(recordOf(firstUnit(order)?.amount)?.currency_code);
}

export function capturesOf(order: Json): Json[] {
  const captures = recordOf(firstUnit(order)?.payments)?.captures;
  if (!Array.isArray(captures)) return [];
  return captures.flatMap((capture) => {
    const record = recordOf(capture);
    return record === undefined ? [] : [record];
  });
}

function linkOf(order: Json, rel: string): string | undefined {
  if (!Array.isArray(order.links)) return undefined;
  for (const link of order.links) {
    const record = recordOf(link);
    if (record?.rel === rel && typeof record.href === 'string') return record.href;
  }
  return undefined;
}

/** A field PayPal always sends; without it the answer cannot be read, and nothing may be concluded. */
export function requiredString(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new ProcessorError({ retryable: false });
  return value;
}
