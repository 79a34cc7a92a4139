import { loadAppSecrets } from '../../shared/adapters/aws/app-secrets.js';
import { CursorCodec } from '../../shared/app/cursor.js';
import { listTransactions } from '../../shared/app/wallets/list-transactions.js';
import { httpHandler } from '../../shared/composition/http.js';
import { TransactionsQuery, UserIdParams } from '../../shared/http/schemas/wallets.js';
import { ledger, wallets } from './context.js';

const cursors = new CursorCodec((await loadAppSecrets()).cursorSecret);

export const handler = httpHandler({ params: UserIdParams, query: TransactionsQuery }, async (request) => ({
  status: 200,
  body: await listTransactions(
    request.caller().userId,
    request.params.userId,
    {
      limit: request.query.limit,
      ...(request.query.cursor === undefined ? {} : { cursor: request.query.cursor }),
    },
    { wallets: wallets(), ledger: ledger(), cursors },
  ),
}));
