import { decideTransfer, initiateTransfer, transferOf } from '../../shared/app/p2p/transfers.js';
import { httpHandler } from '../../shared/composition/http.js';
import type { P2pDecision } from '../../shared/domain/p2p.js';
import { byRoute } from '../../shared/http/handler.js';
import { InitiateRequest, TransferIdParams } from '../../shared/http/schemas/p2p.js';
import { p2pView } from '../../shared/http/views/p2p.js';
import { p2pDeps } from './context.js';

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
    p2pDeps(),
  );
  return { status: 201, body: p2pView(transfer) };
});

const read = httpHandler({ params: TransferIdParams }, async (request) => ({
  status: 200,
  body: p2pView(await transferOf(request.caller().userId, request.params.transferId, p2pDeps().transfers)),
}));

/** One handler per decision route: the decision is typed here, never parsed out of the route key. */
const decide = (decision: P2pDecision) =>
  httpHandler({ params: TransferIdParams }, async (request) => {
    const transfer = await decideTransfer(
      request.caller().userId,
      request.params.transferId,
      decision,
      p2pDeps(),
    );
    return { status: 200, body: p2pView(transfer) };
  });

export const handler = byRoute('p2pTransfers', {
  'POST /wallet/v1/p2p/initiate': initiate,
  'GET /wallet/v1/p2p/{transferId}': read,
  'POST /wallet/v1/p2p/{transferId}/accept': decide('accept'),
  'POST /wallet/v1/p2p/{transferId}/reject': decide('reject'),
  'POST /wallet/v1/p2p/{transferId}/cancel': decide('cancel'),
});
