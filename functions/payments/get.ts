import { paymentOf } from '../../shared/app/payments/queries.js';
import { httpHandler } from '../../shared/composition/http.js';
import { payments } from '../../shared/composition/payments.js';
import { PaymentIdParams } from '../../shared/http/schemas/payments.js';
import { paymentView } from '../../shared/http/views/payment.js';

const deps = { payments: payments() };

export const handler = httpHandler({ params: PaymentIdParams }, async (request) => ({
  status: 200,
  body: paymentView(
    await paymentOf(request.caller().userId, request.params.paymentId, deps.payments),
    request.url,
  ),
}));
