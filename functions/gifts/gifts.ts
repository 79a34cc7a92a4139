import { systemClock } from '../../shared/adapters/clock.js';
import { secureRandomInt } from '../../shared/adapters/crypto/random.js';
import { fullJitter } from '../../shared/adapters/dynamodb/conflicts.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { createGift, giftOf, openGift } from '../../shared/app/gifts/gifts.js';
import { giftMinLifetimeSeconds, giftStore } from '../../shared/composition/gifts.js';
import { httpHandler } from '../../shared/composition/http.js';
import { wallets } from '../../shared/composition/ledger.js';
import { rooms } from '../../shared/composition/rooms.js';
import { currencies } from '../../shared/composition/settings.js';
import { transferStepUp } from '../../shared/composition/step-ups.js';
import { workflows } from '../../shared/composition/workflows.js';
import { byRoute } from '../../shared/http/handler.js';
import { CreateGiftRequest, GiftIdParams } from '../../shared/http/schemas/gifts.js';
import { giftView, openedView } from '../../shared/http/views/gifts.js';

/** Openers who lost a share to another wait 0–10 ms, then 0–20 ms, … up to 0–200 ms before the next try. */
const CONTENTION_BACKOFF = { baseDelayMs: 25, maxDelayMs: 1000 };

const deps = {
  gifts: giftStore(),
  wallets: wallets(),
  rooms: rooms(),
  lifecycle: workflows('groupGift'),
  currencies: currencies(),
  ids: randomIds,
  clock: systemClock,
  randomInt: secureRandomInt,
  minLifetimeSeconds: giftMinLifetimeSeconds(),
  backoff: (attempt: number) => fullJitter(attempt, CONTENTION_BACKOFF),
  stepUp: transferStepUp(),
};

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
    deps,
  );
  return { status: 201, body: giftView(gift, []) };
});

const open = httpHandler({ params: GiftIdParams }, async (request) => ({
  status: 200,
  body: openedView(await openGift(request.caller().userId, request.params.giftId, deps)),
}));

const read = httpHandler({ params: GiftIdParams }, async (request) => {
  const report = await giftOf(request.caller().userId, request.params.giftId, deps);
  return { status: 200, body: giftView(report.gift, report.openings, report.leaderboard) };
});

export const handler = byRoute('gifts', {
  'POST /wallet/v1/gift/create': create,
  'POST /wallet/v1/gift/{giftId}/open': open,
  'GET /wallet/v1/gift/{giftId}': read,
});
