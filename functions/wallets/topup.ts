import { loadAppSecrets } from '../../shared/adapters/aws/app-secrets.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { StripePaymentProvider } from '../../shared/adapters/stripe/stripe-provider.js';
import { topUpWallet } from '../../shared/app/wallets/top-up.js';
import { httpHandler } from '../../shared/http/handler.js';
import { TopupRequest } from '../../shared/http/schemas/wallets.js';
import { topupView } from '../../shared/http/views/topup.js';
import { currencies, ledger, savedCards, systemClock, topups, wallets } from './context.js';

const secrets = await loadAppSecrets();
const provider = new StripePaymentProvider({
  secretKey: secrets.stripeSecretKey,
  webhookSecret: secrets.stripeWebhookSecret,
  ...(process.env.STRIPE_API_BASE === undefined ? {} : { apiBase: process.env.STRIPE_API_BASE }),
});

export const handler = httpHandler({ body: TopupRequest }, async (request) => {
  const topup = await topUpWallet(
    {
      userId: request.caller().userId,
      idempotencyKey: request.headers['idempotency-key'] ?? '',
      amount: request.body.amount,
      currency: request.body.currency,
      paymentMethodId: request.body.paymentMethod.id,
    },
    {
      wallets: wallets(),
      ledger: ledger(),
      provider,
      topups: topups(),
      savedCards: savedCards(),
      currencies: currencies(),
      ids: randomIds,
      clock: systemClock,
    },
  );
  return { status: 201, body: topupView(topup) };
});
