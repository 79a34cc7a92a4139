import { systemClock } from '../../shared/adapters/clock.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { enrolmentReadOnce } from '../../shared/app/mfa/enrolment-once.js';
import { requestPayment } from '../../shared/app/payments/request-payment.js';
import { merchantLedger } from '../../shared/composition/balance.js';
import { httpHandler } from '../../shared/composition/http.js';
import { ledger, wallets } from '../../shared/composition/ledger.js';
import { apps, liveApps, merchants } from '../../shared/composition/merchants.js';
import { mfaFactors } from '../../shared/composition/mfa.js';
import { payments, walletPaymentReads } from '../../shared/composition/payments.js';
import { paymentProvider } from '../../shared/composition/providers.js';
import { rooms } from '../../shared/composition/rooms.js';
import { currencies, paymentPolicy } from '../../shared/composition/settings.js';
import { providerCustomers } from '../../shared/composition/wallets.js';
import { workflows } from '../../shared/composition/workflows.js';
import { AWAITING_MFA } from '../../shared/domain/payment.js';
import { PaymentRequest } from '../../shared/http/schemas/payments.js';
import { paymentView } from '../../shared/http/views/payment.js';

const deps = {
  payments: payments(),
  wallets: wallets(),
  ledger: ledger(),
  workflows: workflows('payment'),
  mfa: mfaFactors(),
  customers: providerCustomers(),
  rooms: rooms(),
  apps: apps(),
  merchants: merchants(),
  liveApps: liveApps(),
  currencies: currencies(),
  policy: paymentPolicy(),
  ids: randomIds,
  clock: systemClock,
  merchantLedger: merchantLedger(),
  walletPaymentReads: walletPaymentReads(),
};

export const handler = httpHandler({ body: PaymentRequest }, async (request) => {
  const payer = request.caller().userId;
  // A payment needing MFA reads the payer's factors to refuse one without any, and its answer lists them.
  const mfa = enrolmentReadOnce(deps.mfa);
  const payment = await requestPayment(
    {
      userId: payer,
      idempotencyKey: request.idempotencyKey(),
      appId: request.body.appId,
      amount: request.body.amount,
      paymentMethod: request.body.paymentMethod,
      description: request.body.description,
      metadata: request.body.metadata ?? {},
      ...(request.body.roomId === undefined ? {} : { roomId: request.body.roomId }),
    },
    { ...deps, mfa, provider: await paymentProvider() },
  );
  // The payer's factors are shown only while the payment waits for one.
  const methods = AWAITING_MFA.includes(payment.state) ? await mfa.methodsOf(payer) : [];
  return { status: 201, body: paymentView(payment, request.url, methods) };
});
