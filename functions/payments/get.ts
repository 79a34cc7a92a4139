import { paymentOf } from '../../shared/app/payments/queries.js';
import { payments } from '../../shared/composition/payments.js';
import { plainHttpHandler } from '../../shared/http/plain-handler.js';
import { PaymentIdParams } from '../../shared/http/schemas/payments.js';
import { paymentView } from '../../shared/http/views/payment.js';

const deps = { payments: payments() };

export const handler = plainHttpHandler({ params: PaymentIdParams }, async (request) => ({
  status: 200,
  body: paymentView(
    await paymentOf(request.caller().userId, request.params.paymentId, deps.payments),
    request.url,
  ),
}));
