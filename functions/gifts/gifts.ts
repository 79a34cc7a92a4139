import { createGift, giftOf, openGift } from '../../shared/app/gifts/gifts.js';
import { httpHandler } from '../../shared/composition/http.js';
import { byRoute } from '../../shared/http/handler.js';
import { CreateGiftRequest, GiftIdParams } from '../../shared/http/schemas/gifts.js';
import { giftView, openedView } from '../../shared/http/views/gifts.js';
import { giftDeps } from './context.js';

const create = httpHandler({ body: CreateGiftRequest }, async (request) => {
  const { body } = request;
  const gift = await createGift(
    {
      creatorId: request.caller().userId,
      idempotencyKey: request.idempotencyKey(),
      roomId: body.room_id,
      totalAmount: body.total_amount,
      currency: body.currency,
      count: body.count,
      distribution: body.distribution,
      ...(body.message === undefined ? {} : { message: body.message }),
      ...(body.expires_in_seconds === undefined ? {} : { expiresInSeconds: body.expires_in_seconds }),
      stepUpToken: request.headers['x-step-up-token'],
    },
    giftDeps(),
  );
  return { status: 201, body: giftView(gift, []) };
});

const open = httpHandler({ params: GiftIdParams }, async (request) => ({
  status: 200,
  body: openedView(await openGift(request.caller().userId, request.params.giftId, giftDeps())),
}));

const read = httpHandler({ params: GiftIdParams }, async (request) => {
  const report = await giftOf(request.caller().userId, request.params.giftId, giftDeps());
  return { status: 200, body: giftView(report.gift, report.openings, report.leaderboard) };
});

export const handler = byRoute('gifts', {
  'POST /wallet/v1/gift/create': create,
  'POST /wallet/v1/gift/{giftId}/open': open,
  'GET /wallet/v1/gift/{giftId}': read,
});
