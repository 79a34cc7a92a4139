import type { OperationDoc } from '../operations.js';
import { CreateGiftRequest, GiftIdParams, GiftOpenedResponse, GiftResponse } from '../schemas/gifts.js';
import { StepUpTokenHeader } from '../schemas/mfa.js';

/** Room membership is asked of the homeserver on every gift route. */
const HOMESERVER = {
  DEPENDENCY_UNAVAILABLE: 'the homeserver did not answer who is in the room; retry (with the same key)',
} as const;

/** The group gift routes. */
export const giftOperations: Readonly<Record<string, OperationDoc>> = {
  'POST /wallet/v1/gift/create': {
    operationId: 'createGift',
    request: { body: CreateGiftRequest },
    responses: {
      201: {
        description: 'The gift, active; the total moved from the wallet to the gift at once',
        schema: GiftResponse,
      },
      400: {
        description:
          'VALIDATION_ERROR (count above total_amount, lifetime), INVALID_AMOUNT, UNSUPPORTED_CURRENCY',
      },
      402: { description: 'INSUFFICIENT_FUNDS' },
      403: { description: 'NOT_ROOM_MEMBER: the creator must be a joined member of room_id' },
      428: {
        description:
          'STEP_UP_REQUIRED: a total_amount above the MFA threshold (MFA_THRESHOLDS, strictly above) needs X-Step-Up-Token, a step-up of purpose transfer for exactly this amount and currency (POST it to the absolute details.challengeUrl). Like every 4xx this answer is kept under the Idempotency-Key: retry with the token and a new key',
      },
      503: {
        description: 'DEPENDENCY_UNAVAILABLE: the Matrix homeserver did not answer; retry with the same key',
      },
    },
    errors: HOMESERVER,
    headers: [StepUpTokenHeader],
  },
  'POST /wallet/v1/gift/{giftId}/open': {
    operationId: 'openGift',
    request: { params: GiftIdParams },
    responses: {
      200: { description: 'Your share, paid to your wallet', schema: GiftOpenedResponse },
      403: { description: "NOT_ROOM_MEMBER: only members of the gift's room open it" },
      404: { description: 'NOT_FOUND' },
      503: { description: 'DEPENDENCY_UNAVAILABLE: the Matrix homeserver did not answer; retry' },
      409: {
        description:
          'ALREADY_OPENED (once per member), GIFT_EMPTY (no share left), INVALID_STATE_TRANSITION (expired)',
      },
    },
    errors: HOMESERVER,
  },
  'GET /wallet/v1/gift/{giftId}': {
    operationId: 'getGift',
    request: { params: GiftIdParams },
    responses: {
      200: {
        description: 'The gift with opened_by and the leaderboard (luckiest marked once settled)',
        schema: GiftResponse,
      },
      403: { description: "NOT_ROOM_MEMBER: only members of the gift's room (and its creator) read it" },
      404: { description: 'NOT_FOUND' },
      503: { description: 'DEPENDENCY_UNAVAILABLE: the Matrix homeserver did not answer; retry' },
    },
    errors: HOMESERVER,
  },
};
