import { listPaymentMethods } from '../../shared/app/wallets/list-payment-methods.js';
import { httpHandler } from '../../shared/composition/http.js';
import { UserIdParams } from '../../shared/http/schemas/wallets.js';
import { savedCards, wallets } from './context.js';

export const handler = httpHandler({ params: UserIdParams }, async (request) => ({
  status: 200,
  body: await listPaymentMethods(request.caller().userId, request.params.userId, {
    wallets: wallets(),
    savedCards: savedCards(),
  }),
}));
