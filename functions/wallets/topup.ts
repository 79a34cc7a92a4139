import { systemClock } from '../../shared/adapters/clock.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { topUpWallet } from '../../shared/app/wallets/top-up.js';
import { httpHandler } from '../../shared/composition/http.js';
import { ledger, wallets } from '../../shared/composition/ledger.js';
import { paymentProvider } from '../../shared/composition/providers.js';
import { currencies } from '../../shared/composition/settings.js';
import { providerCustomers, savedCards, topups } from '../../shared/composition/wallets.js';
import { paymentMethodIdOf, TopupRequest } from '../../shared/http/schemas/wallets.js';
import { topupView } from '../../shared/http/views/topup.js';

const deps = {
  wallets: wallets(),
  ledger: ledger(),
  customers: providerCustomers(),
  topups: topups(),
  savedCards: savedCards(),
  currencies: currencies(),
  ids: randomIds,
  clock: systemClock,
};

export const handler = httpHandler({ body: TopupRequest }, async (request) => {
  const topup = await topUpWallet(
    {
      userId: request.caller().userId,
      idempotencyKey: request.idempotencyKey(),
      amount: request.body.amount,
      currency: request.body.currency,
      paymentMethodId: paymentMethodIdOf(request.body.paymentMethod),
    },
    { ...deps, provider: await paymentProvider() },
  );
  return { status: 201, body: topupView(topup) };
});
