import { z } from 'zod';
import { MAX_LIFETIME_SECONDS, MAX_SHARES } from '../../domain/gift.js';
import { MAX_AMOUNT } from '../../domain/money.js';

export const GiftIdParams = z.object({
  giftId: z.string().regex(/^gift_[A-Za-z0-9]{1,64}$/, 'unknown gift id'),
});

export const CreateGiftRequest = z
  .object({
    room_id: z.string().regex(/^![^:\s]+:\S+$/, 'must be a Matrix room id'),
    total_amount: z.number().int().positive().max(MAX_AMOUNT),
    currency: z.string(),
    count: z.number().int().min(1).max(MAX_SHARES),
    distribution: z.enum(['random', 'equal']),
    message: z.string().max(500).optional(),
    /** From 60 (the deployed minimum) to a week; 24 h when omitted. */
    expires_in_seconds: z.number().int().positive().max(MAX_LIFETIME_SECONDS).optional(),
  })
  .strict()
  .meta({ id: 'CreateGiftRequest' });

const Opening = z.object({ user_id: z.string(), amount: z.number().int(), opened_at: z.iso.datetime() });

export const GiftResponse = z
  .object({
    gift_id: z.string(),
    type: z.literal('group'),
    status: z.enum(['active', 'fully_opened', 'expired']),
    total_amount: z.number().int(),
    currency: z.string(),
    count: z.number().int(),
    remaining: z.number().int(),
    distribution: z.enum(['random', 'equal']),
    message: z.string().nullable(),
    creator: z.object({ user_id: z.string(), wallet_id: z.string() }),
    opened_by: z.array(Opening),
    leaderboard: z
      .array(
        z.object({
          rank: z.number().int(),
          user_id: z.string(),
          amount: z.number().int(),
          opened_at: z.iso.datetime(),
          luckiest: z.boolean(),
        }),
      )
      .optional(),
    expires_at: z.iso.datetime(),
    created_at: z.iso.datetime(),
    room_id: z.string(),
    refunded_amount: z.number().int().optional(),
  })
  .meta({ id: 'Gift' });

export const GiftOpenedResponse = z
  .object({
    gift_id: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    remaining: z.number().int(),
  })
  .meta({ id: 'GiftOpened' });
