import * as z from 'zod/mini';
import { MERCHANT_STATUSES, type Merchant } from '../../../domain/merchant.js';
import { defineEntity } from '../entity.js';
import { merchantKey, merchantStatusIndexKey } from '../keys.js';
import type { SameType } from './exact.js';

const schema = z.object({
  merchantId: z.string(),
  owner: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.exactOptional(z.string()),
  country: z.string(),
  businessType: z.enum(['individual', 'company']),
  status: z.enum(MERCHANT_STATUSES),
  reserveBps: z.number(),
  connectedAccountId: z.exactOptional(z.string()),
  reviewReason: z.exactOptional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

true satisfies SameType<z.output<typeof schema>, Merchant>;

/** A merchant: `MERCHANT#<id>` / `MERCHANT`, in its status's partition of GSI1 (the ops queue). */
export const MerchantEntity = defineEntity<Merchant>({
  type: 'Merchant',
  schema: schema satisfies z.ZodMiniType<Merchant>,
  key: (merchant) => merchantKey(merchant.merchantId),
  indexes: (merchant) => merchantStatusIndexKey(merchant.status, merchant.createdAt, merchant.merchantId),
});
