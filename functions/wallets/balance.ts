import { getBalance } from '../../shared/app/wallets/get-balance.js';
import { ledger, wallets } from '../../shared/composition/ledger.js';
import { plainHttpHandler } from '../../shared/http/plain-handler.js';
import { UserIdParams } from '../../shared/http/schemas/wallets.js';

const deps = { wallets: wallets(), ledger: ledger() };

export const handler = plainHttpHandler({ params: UserIdParams }, async (request) => ({
  status: 200,
  body: await getBalance(request.caller().userId, request.params.userId, deps),
}));
