/** A merchant's refunds (/v1/refunds): of its PaymentIntents and mini-app payments; read and list. */
import { systemClock } from '../../shared/adapters/clock.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { createRefund, getRefund, listRefunds } from '../../shared/app/refunds/merchant-refunds.js';
import { merchantLedger } from '../../shared/composition/balance.js';
import { cursorCodec } from '../../shared/composition/cursors.js';
import { httpHandler } from '../../shared/composition/http.js';
import { ledger, wallets } from '../../shared/composition/ledger.js';
import { paymentIntents } from '../../shared/composition/payment-intents.js';
import { payments } from '../../shared/composition/payments.js';
import { paymentProvider } from '../../shared/composition/providers.js';
import { intentRefunds, merchantRefunds } from '../../shared/composition/refunds.js';
import { byRoute } from '../../shared/http/handler.js';
import { CreateRefundRequest, ListRefundsQuery, RefundIdParams } from '../../shared/http/schemas/refunds.js';
import { refundListView, refundView } from '../../shared/http/views/refunds.js';

const deps = {
  refunds: merchantRefunds(),
  intentRefunds: intentRefunds(),
  intents: paymentIntents(),
  payments: payments(),
  wallets: wallets(),
  ledger: ledger(),
  ids: randomIds,
  clock: systemClock,
  merchantLedger: merchantLedger(),
};

const create = httpHandler({ body: CreateRefundRequest }, async (request) => {
  const refund = await createRefund(request.merchant(), request.body, request.idempotencyKey(), {
    ...deps,
    provider: await paymentProvider(),
  });
  return { status: 201, body: refundView(refund) };
});

const list = httpHandler({ query: ListRefundsQuery }, async (request) => {
  const page = await listRefunds(request.merchant(), request.query, {
    ...deps,
    cursors: await cursorCodec(),
  });
  return { status: 200, body: refundListView(page.refunds, page.nextCursor) };
});

const read = httpHandler({ params: RefundIdParams }, async (request) => ({
  status: 200,
  body: refundView(await getRefund(request.merchant(), request.params.refundId, deps)),
}));

export const handler = byRoute('merchantRefunds', {
  'POST /v1/refunds': create,
  'GET /v1/refunds': list,
  'GET /v1/refunds/{refundId}': read,
});
