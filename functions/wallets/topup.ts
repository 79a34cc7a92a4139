import { randomIds } from '../../shared/adapters/ids.js';
import { topUpWallet } from '../../shared/app/wallets/top-up.js';
import { httpHandler } from '../../shared/composition/http.js';
import { paymentProvider } from '../../shared/composition/providers.js';
import { paymentMethodIdOf, TopupRequest } from '../../shared/http/schemas/wallets.js';
import { topupView } from '../../shared/http/views/topup.js';
import {
  currencies,
  ledger,
  providerCustomers,
  savedCards,
  systemClock,
  topups,
  wallets,
} from './context.js';

const provider = await paymentProvider();

export const handler = httpHandler({ body: TopupRequest }, async (request) => {
  const topup = await topUpWallet(
    {
      userId: request.caller().userId,
      idempotencyKey: request.idempotencyKey(),
      amount: request.body.amount,
      currency: request.body.currency,
      paymentMethodId: paymentMethodIdOf(request.body.paymentMethod),
    },
    {
      wallets: wallets(),
      ledger: ledger(),
      provider,
      customers: providerCustomers(),
      topups: topups(),
      savedCards: savedCards(),
      currencies: currencies(),
      ids: randomIds,
      clock: systemClock,
    },
  );
  return { status: 201, body: topupView(topup) };
});
