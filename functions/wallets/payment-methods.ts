import { listPaymentMethods } from '../../shared/app/wallets/list-payment-methods.js';
import { wallets } from '../../shared/composition/ledger.js';
import { savedCards } from '../../shared/composition/wallets.js';
import { plainHttpHandler } from '../../shared/http/plain-handler.js';
import { UserIdParams } from '../../shared/http/schemas/wallets.js';

const deps = { wallets: wallets(), savedCards: savedCards() };

export const handler = plainHttpHandler({ params: UserIdParams }, async (request) => ({
  status: 200,
  body: await listPaymentMethods(request.caller().userId, request.params.userId, deps),
}));
