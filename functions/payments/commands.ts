import { authorizePayment, cancelPayment } from '../../shared/app/payments/commands.js';
import { httpHandler } from '../../shared/composition/http.js';
import { byRoute } from '../../shared/http/handler.js';
import { PaymentIdParams } from '../../shared/http/schemas/payments.js';
import { paymentView } from '../../shared/http/views/payment.js';
import { lifecycleDeps } from './context.js';

const deps = await lifecycleDeps();

const run = (command: typeof authorizePayment | typeof cancelPayment) =>
  httpHandler({ params: PaymentIdParams }, async (request) => {
    const payment = await command(request.caller().userId, request.params.paymentId, deps);
    return { status: 200, body: paymentView(payment, request.url) };
  });

export const handler = byRoute('paymentCommands', {
  'POST /api/v1/payments/{paymentId}/authorize': run(authorizePayment),
  'POST /api/v1/payments/{paymentId}/cancel': run(cancelPayment),
});
