import { authorizePayment, cancelPayment } from '../../shared/app/payments/commands.js';
import { httpHandler } from '../../shared/composition/http.js';
import { PaymentIdParams } from '../../shared/http/schemas/payments.js';
import { paymentView } from '../../shared/http/views/payment.js';
import { lifecycleDeps } from './context.js';

const deps = await lifecycleDeps();

export const handler = httpHandler({ params: PaymentIdParams }, async (request) => {
  const command = request.routeKey.endsWith('/cancel') ? cancelPayment : authorizePayment;
  const payment = await command(request.caller().userId, request.params.paymentId, deps);
  return { status: 200, body: paymentView(payment, request.url) };
});
