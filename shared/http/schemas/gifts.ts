import * as z from 'zod/mini';
import { MAX_LIFETIME_SECONDS, MAX_SHARES } from '../../domain/gift.js';
import { MAX_AMOUNT } from '../../domain/money.js';

export const GiftIdParams = z.object({
  giftId: z.string().check(z.regex(/^gift_[A-Za-z0-9]{1,64}$/, 'unknown gift id')),
});

export const CreateGiftRequest = z
  .strictObject({
    room_id: z.string().check(z.regex(/^![^:\s]+:\S+$/, 'must be a Matrix room id')),
    total_amount: z.number().check(z.int(), z.positive(), z.maximum(MAX_AMOUNT)),
    currency: z.string(),
    count: z.number().check(z.int(), z.minimum(1), z.maximum(MAX_SHARES)),
    distribution: z.enum(['random', 'equal']),
    message: z.optional(z.string().check(z.maxLength(500))),
    /** From 60 (the deployed minimum) to a week; 24 h when omitted. */
    expires_in_seconds: z.optional(z.number().check(z.int(), z.positive(), z.maximum(MAX_LIFETIME_SECONDS))),
  })
  .register(z.globalRegistry, { id: 'CreateGiftRequest' });

const int = () => z.number().check(z.int());
const Opening = z.object({ user_id: z.string(), amount: int(), opened_at: z.iso.datetime() });

export const GiftResponse = z
  .object({
    gift_id: z.string(),
    type: z.literal('group'),
    status: z.enum(['active', 'fully_opened', 'expired']),
    total_amount: int(),
    currency: z.string(),
    count: int(),
    remaining: int(),
    distribution: z.enum(['random', 'equal']),
    message: z.nullable(z.string()),
    creator: z.object({ user_id: z.string(), wallet_id: z.string() }),
    opened_by: z.array(Opening),
    leaderboard: z.optional(
      z.array(
        z.object({
          rank: int(),
          user_id: z.string(),
          amount: int(),
          opened_at: z.iso.datetime(),
          luckiest: z.boolean(),
        }),
      ),
    ),
    expires_at: z.iso.datetime(),
    created_at: z.iso.datetime(),
    room_id: z.string(),
    refunded_amount: z.optional(int()),
  })
  .register(z.globalRegistry, { id: 'Gift' });

export const GiftOpenedResponse = z
  .object({
    gift_id: z.string(),
    amount: int(),
    currency: z.string(),
    remaining: int(),
  })
  .register(z.globalRegistry, { id: 'GiftOpened' });
