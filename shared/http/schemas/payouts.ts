import * as z from 'zod/mini';
import { PAYOUT_METHODS, PAYOUT_STATUSES } from '../../domain/payout.js';
import { listOf } from './list.js';

const int = () => z.number().check(z.int());

export const PayoutIdParams = z.object({
  payoutId: z.string().check(z.regex(/^po_[A-Za-z0-9_]{1,128}$/, 'unknown payout id')),
});

export const CreatePayoutRequest = z
  .strictObject({
    amount: int().register(z.globalRegistry, {
      description: 'Minor units debited from the available balance; at least 10000',
    }),
    currency: z.string().register(z.globalRegistry, { example: 'USD' }),
    method: z.enum(PAYOUT_METHODS).register(z.globalRegistry, {
      description: '`instant` (100 bps fee, about 30 minutes) or `standard` (free, 1–2 business days)',
    }),
  })
  .register(z.globalRegistry, { id: 'CreatePayoutRequest' });

export const ListPayoutsQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 10),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
  status: z.optional(z.enum(PAYOUT_STATUSES)),
});

export const PayoutResponse = z
  .object({
    id: z.string(),
    object: z.literal('payout'),
    amount: int(),
    fee: int(),
    currency: z.string(),
    method: z.enum(PAYOUT_METHODS),
    status: z.enum(PAYOUT_STATUSES),
    arrival_date: int().register(z.globalRegistry, { description: 'Epoch seconds' }),
    failure_code: z.optional(z.string()),
    destination: z.string().register(z.globalRegistry, { description: 'The connected account (acct_…)' }),
    livemode: z.boolean(),
    created: int().register(z.globalRegistry, { description: 'Epoch seconds' }),
  })
  .register(z.globalRegistry, { id: 'Payout' });

export const PayoutList = listOf(PayoutResponse, 'PayoutList');
