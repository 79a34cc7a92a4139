import { requestPayment } from '../../shared/app/payments/request-payment.js';
import { httpHandler } from '../../shared/composition/http.js';
import { PaymentRequest } from '../../shared/http/schemas/payments.js';
import { paymentView } from '../../shared/http/views/payment.js';
import {
  clock,
  currencies,
  ids,
  ledger,
  mfaFactors,
  paymentProvider,
  payments,
  policy,
  providerCustomers,
  rooms,
  wallets,
  workflows,
} from './context.js';

const provider = await paymentProvider();

export const handler = httpHandler({ body: PaymentRequest }, async (request) => {
  const payer = request.caller().userId;
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
    {
      payments: payments(),
      wallets: wallets(),
      ledger: ledger(),
      workflows: workflows(),
      mfa: mfaFactors(),
      provider,
      customers: providerCustomers(),
      rooms: rooms(),
      currencies: currencies(),
      policy: policy(),
      ids,
      clock,
    },
  );
  return { status: 201, body: paymentView(payment, request.url, await mfaFactors().methodsOf(payer)) };
});
