/** Orders and captures as PayPal's API shows them, with the HATEOAS links of what can be done next. */
import type { Json } from './http-io.js';
import type { Capture, Order } from './state.js';

export function orderView(baseUrl: string, order: Order): Json {
  const unit: Json = {
    reference_id: 'default',
    amount: { currency_code: order.currency, value: order.value },
  };
  if (order.description !== undefined) unit.description = order.description;
  if (order.customId !== undefined) unit.custom_id = order.customId;
  if (order.capture !== undefined) unit.payments = { captures: [captureView(order.capture, order)] };
  const links: Json[] = [{ href: `${baseUrl}/v2/checkout/orders/${order.id}`, rel: 'self', method: 'GET' }];
  if (order.status === 'PAYER_ACTION_REQUIRED') {
    links.push({
      href: `${baseUrl}/checkoutnow?token=${order.id}`,
      rel: 'payer-action',
      method: 'GET',
    });
  }
  if (order.status === 'APPROVED') {
    links.push({
      href: `${baseUrl}/v2/checkout/orders/${order.id}/capture`,
      rel: 'capture',
      method: 'POST',
    });
  }
  return {
    id: order.id,
    intent: 'CAPTURE',
    status: order.status,
    purchase_units: [unit],
    create_time: order.createTime,
    update_time: order.updateTime,
    links,
  };
}

export function captureView(capture: Capture, order: Order): Json {
  return {
    id: capture.id,
    status: capture.status,
    amount: { currency_code: order.currency, value: capture.value },
    final_capture: true,
    ...(order.customId === undefined ? {} : { custom_id: order.customId }),
    supplementary_data: { related_ids: { order_id: order.id } },
  };
}
