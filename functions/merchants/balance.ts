import { systemClock } from '../../shared/adapters/clock.js';
import {
  getBalance,
  getBalanceTransaction,
  listBalanceTransactions,
  setReserve,
} from '../../shared/app/balance/balance.js';
import { merchantBalances } from '../../shared/composition/balance.js';
import { cursorCodec } from '../../shared/composition/cursors.js';
import { httpHandler } from '../../shared/composition/http.js';
import { merchants } from '../../shared/composition/merchants.js';
import { byRoute } from '../../shared/http/handler.js';
import {
  BalanceTransactionIdParams,
  BalanceTransactionsQuery,
  ReserveRequest,
} from '../../shared/http/schemas/balance.js';
import { MerchantIdParams } from '../../shared/http/schemas/merchants.js';
import { balanceTransactionView, balanceView } from '../../shared/http/views/balance.js';
import { listView } from '../../shared/http/views/list.js';
import { merchantView } from '../../shared/http/views/merchant.js';

const deps = { balances: merchantBalances(), merchants: merchants(), clock: systemClock };

const balance = httpHandler({}, async (request) => ({
  status: 200,
  body: balanceView(await getBalance(request.merchant(), deps)),
}));

const transactions = httpHandler({ query: BalanceTransactionsQuery }, async (request) => {
  const { limit, cursor, type } = request.query;
  const query = {
    limit,
    ...(cursor === undefined ? {} : { cursor }),
    ...(type === undefined ? {} : { type }),
  };
  const page = await listBalanceTransactions(request.merchant(), query, {
    ...deps,
    cursors: await cursorCodec(),
  });
  return { status: 200, body: listView(page.transactions.map(balanceTransactionView), page.nextCursor) };
});

const transaction = httpHandler({ params: BalanceTransactionIdParams }, async (request) => ({
  status: 200,
  body: balanceTransactionView(await getBalanceTransaction(request.merchant(), request.params.id, deps)),
}));

const reserve = httpHandler({ params: MerchantIdParams, body: ReserveRequest }, async (request) => ({
  status: 200,
  body: merchantView(
    await setReserve(request.caller().roles, request.params.merchantId, request.body.reserve_bps, deps),
  ),
}));

export const handler = byRoute('merchantBalance', {
  'GET /v1/balance': balance,
  'GET /v1/balance_transactions': transactions,
  'GET /v1/balance_transactions/{id}': transaction,
  'POST /ops/v1/merchants/{merchantId}/reserve': reserve,
});
