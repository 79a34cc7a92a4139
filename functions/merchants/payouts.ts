/** A merchant's payouts (/v1/payouts): create, read, list. */
import { systemClock } from '../../shared/adapters/clock.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { createPayout, getPayout, listPayouts } from '../../shared/app/payouts/payouts.js';
import { merchantBalances } from '../../shared/composition/balance.js';
import { cursorCodec } from '../../shared/composition/cursors.js';
import { httpHandler } from '../../shared/composition/http.js';
import { merchants } from '../../shared/composition/merchants.js';
import { payouts, payoutWaitSeconds } from '../../shared/composition/payouts.js';
import { currencies } from '../../shared/composition/settings.js';
import { workflows } from '../../shared/composition/workflows.js';
import { byRoute } from '../../shared/http/handler.js';
import { CreatePayoutRequest, ListPayoutsQuery, PayoutIdParams } from '../../shared/http/schemas/payouts.js';
import { payoutListView, payoutView } from '../../shared/http/views/payouts.js';

const deps = {
  payouts: payouts(),
  merchants: merchants(),
  balances: merchantBalances(),
  workflow: workflows('payout'),
  currencies: currencies(),
  ids: randomIds,
  clock: systemClock,
  waitSeconds: payoutWaitSeconds(),
};

const create = httpHandler({ body: CreatePayoutRequest }, async (request) => ({
  status: 201,
  body: payoutView(await createPayout(request.merchant(), request.body, request.idempotencyKey(), deps)),
}));

const list = httpHandler({ query: ListPayoutsQuery }, async (request) => {
  const page = await listPayouts(request.merchant(), request.query, {
    ...deps,
    cursors: await cursorCodec(),
  });
  return { status: 200, body: payoutListView(page.payouts, page.nextCursor) };
});

const read = httpHandler({ params: PayoutIdParams }, async (request) => ({
  status: 200,
  body: payoutView(await getPayout(request.merchant(), request.params.payoutId, deps)),
}));

export const handler = byRoute('merchantPayouts', {
  'POST /v1/payouts': create,
  'GET /v1/payouts': list,
  'GET /v1/payouts/{payoutId}': read,
});
