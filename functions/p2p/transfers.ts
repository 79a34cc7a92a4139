import { systemClock } from '../../shared/adapters/clock.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { decideTransfer, initiateTransfer, transferOf } from '../../shared/app/p2p/transfers.js';
import { httpHandler } from '../../shared/composition/http.js';
import { ledger, wallets } from '../../shared/composition/ledger.js';
import { p2pAcceptanceWindowSeconds, p2pTransfers } from '../../shared/composition/p2p.js';
import { rooms } from '../../shared/composition/rooms.js';
import { currencies } from '../../shared/composition/settings.js';
import { transferStepUp } from '../../shared/composition/step-ups.js';
import { workflows } from '../../shared/composition/workflows.js';
import type { P2pDecision } from '../../shared/domain/p2p.js';
import { byRoute } from '../../shared/http/handler.js';
import { InitiateRequest, TransferIdParams } from '../../shared/http/schemas/p2p.js';
import { p2pView } from '../../shared/http/views/p2p.js';

const deps = {
  transfers: p2pTransfers(),
  wallets: wallets(),
  ledger: ledger(),
  rooms: rooms(),
  lifecycle: workflows('p2pTransfer'),
  currencies: currencies(),
  ids: randomIds,
  clock: systemClock,
  windowSeconds: p2pAcceptanceWindowSeconds(),
  stepUp: transferStepUp(),
};

const initiate = httpHandler({ body: InitiateRequest }, async (request) => {
  const transfer = await initiateTransfer(
    {
      senderId: request.caller().userId,
      idempotencyKey: request.idempotencyKey(),
      recipientId: request.body.recipient,
      amount: request.body.amount,
      currency: request.body.currency,
      ...(request.body.note === undefined ? {} : { note: request.body.note }),
      roomId: request.body.room_id,
      stepUpToken: request.headers['x-step-up-token'],
    },
    deps,
  );
  return { status: 201, body: p2pView(transfer) };
});

const read = httpHandler({ params: TransferIdParams }, async (request) => ({
  status: 200,
  body: p2pView(await transferOf(request.caller().userId, request.params.transferId, deps.transfers)),
}));

/** One handler per decision route: the decision is typed here, never parsed out of the route key. */
const decide = (decision: P2pDecision) =>
  httpHandler({ params: TransferIdParams }, async (request) => {
    const transfer = await decideTransfer(request.caller().userId, request.params.transferId, decision, deps);
    return { status: 200, body: p2pView(transfer) };
  });

export const handler = byRoute('p2pTransfers', {
  'POST /wallet/v1/p2p/initiate': initiate,
  'GET /wallet/v1/p2p/{transferId}': read,
  'POST /wallet/v1/p2p/{transferId}/accept': decide('accept'),
  'POST /wallet/v1/p2p/{transferId}/reject': decide('reject'),
  'POST /wallet/v1/p2p/{transferId}/cancel': decide('cancel'),
});
