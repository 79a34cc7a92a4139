/** A merchant's PaymentIntents (/v1/payment_intents): create, confirm, capture, cancel, read and list. */

import type { PaymentIntentDeps } from '../../shared/app/payment-intents/common.js';
import {
  confirmPaymentIntent,
  createPaymentIntent,
  getPaymentIntent,
  listPaymentIntents,
} from '../../shared/app/payment-intents/intents.js';
import { cancelPaymentIntent, capturePaymentIntent } from '../../shared/app/payment-intents/settle.js';
import { cursorCodec } from '../../shared/composition/cursors.js';
import { httpHandler } from '../../shared/composition/http.js';
import { paymentIntentDeps } from '../../shared/composition/payment-intent-deps.js';
import { paymentIntents } from '../../shared/composition/payment-intents.js';
import { workflows } from '../../shared/composition/workflows.js';
import { byRoute } from '../../shared/http/handler.js';
import {
  CancelPaymentIntentRequest,
  CapturePaymentIntentRequest,
  ConfirmPaymentIntentRequest,
  CreatePaymentIntentRequest,
  ListPaymentIntentsQuery,
  PaymentIntentIdParams,
} from '../../shared/http/schemas/payment-intents.js';
import { paymentIntentListView, paymentIntentView } from '../../shared/http/views/payment-intents.js';

const intents = paymentIntents();

function deps(): Promise<PaymentIntentDeps> {
  return paymentIntentDeps(workflows('paymentIntentCapture'));
}

const create = httpHandler({ body: CreatePaymentIntentRequest }, async (request) => {
  const { body } = request;
  const intent = await createPaymentIntent(
    {
      tenant: request.merchant(),
      idempotencyKey: request.idempotencyKey(),
      amount: body.amount,
      currency: body.currency,
      captureMethod: body.capture_method,
      customerId: body.customer,
      paymentMethodId: body.payment_method,
      confirm: body.confirm,
      description: body.description,
      metadata: body.metadata,
      splits: body.splits?.map((split) => ({ merchantId: split.merchant, amount: split.amount })),
    },
    await deps(),
  );
  // A create is 201 across this API (payments, customers, apps), whatever state confirm left it in.
  return { status: 201, body: paymentIntentView(intent) };
});

const list = httpHandler({ query: ListPaymentIntentsQuery }, async (request) => {
  const { customer, status, cursor, limit } = request.query;
  const found = await listPaymentIntents(
    request.merchant(),
    {
      limit,
      ...(cursor === undefined ? {} : { cursor }),
      ...(customer === undefined ? {} : { customerId: customer }),
      ...(status === undefined ? {} : { status }),
    },
    { intents, cursors: await cursorCodec() },
  );
  return { status: 200, body: paymentIntentListView(found.intents, found.nextCursor) };
});

const read = httpHandler({ params: PaymentIntentIdParams }, async (request) => ({
  status: 200,
  body: paymentIntentView(await getPaymentIntent(request.merchant(), request.params.intentId, { intents })),
}));

const confirm = httpHandler(
  { params: PaymentIntentIdParams, body: ConfirmPaymentIntentRequest },
  async (request) => ({
    status: 200,
    body: paymentIntentView(
      await confirmPaymentIntent(
        {
          tenant: request.merchant(),
          intentId: request.params.intentId,
          paymentMethodId: request.body.payment_method,
        },
        await deps(),
      ),
    ),
  }),
);

const capture = httpHandler(
  { params: PaymentIntentIdParams, body: CapturePaymentIntentRequest },
  async (request) => ({
    status: 200,
    body: paymentIntentView(
      await capturePaymentIntent(
        {
          tenant: request.merchant(),
          intentId: request.params.intentId,
          amountToCapture: request.body.amount_to_capture,
        },
        await deps(),
      ),
    ),
  }),
);

const cancel = httpHandler(
  { params: PaymentIntentIdParams, body: CancelPaymentIntentRequest },
  async (request) => ({
    status: 200,
    body: paymentIntentView(
      await cancelPaymentIntent(
        {
          tenant: request.merchant(),
          intentId: request.params.intentId,
          reason: request.body.cancellation_reason,
        },
        await deps(),
      ),
    ),
  }),
);

export const handler = byRoute('paymentIntents', {
  'POST /v1/payment_intents': create,
  'GET /v1/payment_intents': list,
  'GET /v1/payment_intents/{intentId}': read,
  'POST /v1/payment_intents/{intentId}/confirm': confirm,
  'POST /v1/payment_intents/{intentId}/capture': capture,
  'POST /v1/payment_intents/{intentId}/cancel': cancel,
});
