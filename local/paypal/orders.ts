/**
 * Orders, their capture and refunds of a capture: the API's state changes, each emitting its event
 * (PAYMENT.CAPTURE.COMPLETED / DENIED, PAYMENT.CAPTURE.REFUNDED).
 */
import { recordOf, stringOf } from '../../shared/json.js';
import { PayPalError, resourceNotFound } from './errors.js';
import type { Json } from './http-io.js';
import { cents, decimal } from './money.js';
import { captureView, orderView } from './objects.js';
import { type Capture, newId, type Order, type PayPalState } from './state.js';
import { emit } from './webhooks.js';

export function createOrder(state: PayPalState, body: Json): Json {
  if (body.intent !== 'CAPTURE') throw new PayPalError(422, 'UNPROCESSABLE_ENTITY', 'INTENT_NOT_SUPPORTED');
  const unit = Array.isArray(body.purchase_units) ? recordOf(body.purchase_units[0]) : undefined;
  const amount = recordOf(unit?.amount);
  const currency = stringOf(amount?.currency_code);
  const value = stringOf(amount?.value);
  if (
    currency === undefined ||
    value === undefined ||
    !/^\d+(\.\d{1,3})?$/.test(value) ||
    Number(value) <= 0
  ) {
    throw new PayPalError(400, 'INVALID_REQUEST', 'INVALID_PARAMETER_VALUE');
  }
  const now = new Date().toISOString();
  const order: Order = {
    id: newId(),
    status: 'PAYER_ACTION_REQUIRED',
    currency,
    value,
    declineOnCapture: false,
    createTime: now,
    updateTime: now,
  };
  const description = stringOf(unit?.description);
  if (description !== undefined) order.description = description;
  const customId = stringOf(unit?.custom_id);
  if (customId !== undefined) order.customId = customId;
  state.orders.set(order.id, order);
  return orderView(state.baseUrl, order);
}

export function captureOrder(state: PayPalState, order: Order): Json {
  if (order.status === 'COMPLETED')
    throw new PayPalError(422, 'UNPROCESSABLE_ENTITY', 'ORDER_ALREADY_CAPTURED');
  if (order.status !== 'APPROVED') throw new PayPalError(422, 'UNPROCESSABLE_ENTITY', 'ORDER_NOT_APPROVED');
  const capture: Capture = {
    id: newId(),
    orderId: order.id,
    status: order.declineOnCapture ? 'DECLINED' : 'COMPLETED',
    value: order.value,
    refunded: 0,
  };
  order.capture = capture;
  order.status = 'COMPLETED';
  order.updateTime = new Date().toISOString();
  state.captures.set(capture.id, capture);
  emit(
    state,
    capture.status === 'COMPLETED' ? 'PAYMENT.CAPTURE.COMPLETED' : 'PAYMENT.CAPTURE.DENIED',
    'capture',
    order.id,
    captureView(capture, order),
  );
  return orderView(state.baseUrl, order);
}

export function refundCapture(state: PayPalState, captureId: string, body: Json): Json {
  const capture = state.captures.get(captureId);
  if (capture === undefined) throw resourceNotFound();
  const order = state.order(capture.orderId);
  if (capture.status === 'DECLINED')
    throw new PayPalError(422, 'UNPROCESSABLE_ENTITY', 'CAPTURE_NOT_COMPLETED');
  if (capture.status === 'REFUNDED')
    throw new PayPalError(422, 'UNPROCESSABLE_ENTITY', 'CAPTURE_FULLY_REFUNDED');
  const total = cents(capture.value);
  const asked = stringOf(recordOf(body.amount)?.value);
  const amount = asked === undefined ? total - capture.refunded : cents(asked);
  if (amount <= 0 || capture.refunded + amount > total) {
    throw new PayPalError(422, 'UNPROCESSABLE_ENTITY', 'REFUND_AMOUNT_EXCEEDED');
  }
  capture.refunded += amount;
  capture.status = capture.refunded === total ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  const refund: Json = {
    id: newId(),
    status: 'COMPLETED',
    amount: { currency_code: order.currency, value: decimal(amount, capture.value) },
    custom_id: order.customId,
    supplementary_data: { related_ids: { order_id: order.id, capture_id: capture.id } },
    create_time: new Date().toISOString(),
  };
  state.refunds.set(String(refund.id), refund);
  emit(state, 'PAYMENT.CAPTURE.REFUNDED', 'refund', order.id, refund);
  return refund;
}

export function retrieveRefund(state: PayPalState, refundId: string): Json {
  const found = state.refunds.get(refundId);
  if (found === undefined) throw resourceNotFound();
  return found;
}
