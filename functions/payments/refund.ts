import { systemClock } from '../../shared/adapters/clock.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { refundPayment } from '../../shared/app/payments/refund-payment.js';
import { merchantLedger } from '../../shared/composition/balance.js';
import { httpHandler } from '../../shared/composition/http.js';
import { ledger, wallets } from '../../shared/composition/ledger.js';
import { payments } from '../../shared/composition/payments.js';
import { paymentProvider } from '../../shared/composition/providers.js';
import { PaymentIdParams, RefundRequest } from '../../shared/http/schemas/payments.js';
import { paymentView } from '../../shared/http/views/payment.js';

const deps = {
  payments: payments(),
  wallets: wallets(),
  ledger: ledger(),
  ids: randomIds,
  clock: systemClock,
  merchantLedger: merchantLedger(),
};

export const handler = httpHandler({ params: PaymentIdParams, body: RefundRequest }, async (request) => {
  const caller = request.caller();
  const { refund, payment } = await refundPayment(
    {
      userId: caller.userId,
      roles: caller.roles,
      idempotencyKey: request.idempotencyKey(),
      paymentId: request.params.paymentId,
      ...(request.body.amount === undefined ? {} : { amount: request.body.amount }),
      ...(request.body.reason === undefined ? {} : { reason: request.body.reason }),
    },
    { ...deps, provider: await paymentProvider() },
  );
  // Internal: whose payment it is (the payment says), and the provider's own refund id.
  const { userId: _owner, providerRefundId: _provider, ...refundView } = refund;
  return { status: 201, body: { ...refundView, payment: paymentView(payment, request.url) } };
});
