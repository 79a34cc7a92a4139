import { listTransactions } from '../../shared/app/wallets/list-transactions.js';
import { cursorCodec } from '../../shared/composition/cursors.js';
import { ledger, wallets } from '../../shared/composition/ledger.js';
import { plainHttpHandler } from '../../shared/http/plain-handler.js';
import { TransactionsQuery, UserIdParams } from '../../shared/http/schemas/wallets.js';

const deps = { wallets: wallets(), ledger: ledger() };

export const handler = plainHttpHandler(
  { params: UserIdParams, query: TransactionsQuery },
  async (request) => ({
    status: 200,
    body: await listTransactions(
      request.caller().userId,
      request.params.userId,
      {
        limit: request.query.limit,
        ...(request.query.cursor === undefined ? {} : { cursor: request.query.cursor }),
      },
      { ...deps, cursors: await cursorCodec() },
    ),
  }),
);
