import { systemClock } from '../../shared/adapters/clock.js';
import { authorizePayment, cancelPayment } from '../../shared/app/payments/commands.js';
import { merchantLedger } from '../../shared/composition/balance.js';
import { httpHandler } from '../../shared/composition/http.js';
import { ledger, wallets } from '../../shared/composition/ledger.js';
import { payments } from '../../shared/composition/payments.js';
import { paymentProvider } from '../../shared/composition/providers.js';
import { workflows } from '../../shared/composition/workflows.js';
import { byRoute } from '../../shared/http/handler.js';
import { PaymentIdParams } from '../../shared/http/schemas/payments.js';
import { paymentView } from '../../shared/http/views/payment.js';

const deps = {
  payments: payments(),
  wallets: wallets(),
  ledger: ledger(),
  workflows: workflows('payment'),
  clock: systemClock,
  merchantLedger: merchantLedger(),
};

const run = (command: typeof authorizePayment | typeof cancelPayment) =>
  httpHandler({ params: PaymentIdParams }, async (request) => {
    const payment = await command(request.caller().userId, request.params.paymentId, {
      ...deps,
      provider: await paymentProvider(),
    });
    return { status: 200, body: paymentView(payment, request.url) };
  });

export const handler = byRoute('paymentCommands', {
  'POST /api/v1/payments/{paymentId}/authorize': run(authorizePayment),
  'POST /api/v1/payments/{paymentId}/cancel': run(cancelPayment),
});
