import * as z from 'zod/mini';
import { MERCHANT_STATUSES } from '../../domain/merchant.js';
import { e164Phone } from './common.js';
import { listOf } from './list.js';

const int = () => z.number().check(z.int());

export const MerchantIdParams = z.object({
  merchantId: z.string().check(z.regex(/^mch_[A-Za-z0-9]{1,64}$/, 'unknown merchant id')),
});

export const CreateMerchantRequest = z
  .strictObject({
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    email: z.email().check(z.maxLength(254)),
    phone: z.optional(e164Phone()).register(z.globalRegistry, {
      description: "The owner's phone, for the SMS of a failed payout",
    }),
    country: z.string().check(z.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code')),
    business_type: z.enum(['individual', 'company']),
  })
  .register(z.globalRegistry, { id: 'CreateMerchantRequest' });

export const UpdateMerchantRequest = z
  .strictObject({
    phone: z.optional(z.nullable(z.union([e164Phone(), z.literal('')]))).register(z.globalRegistry, {
      description: 'The owner\'s phone, for the SMS of a failed payout; null or "" removes it',
    }),
  })
  .register(z.globalRegistry, { id: 'UpdateMerchantRequest' });

export const VerifyEmailRequest = z
  .strictObject({ code: z.string().check(z.regex(/^\d{6}$/, 'must be the 6-digit code we emailed')) })
  .register(z.globalRegistry, { id: 'VerifyEmailRequest' });

export const ReviewRequest = z
  .strictObject({
    decision: z.enum(['approve', 'reject']),
    reason: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(1000))),
  })
  .register(z.globalRegistry, { id: 'MerchantReviewRequest' });

export const MerchantsQuery = z.strictObject({
  status: z._default(z.enum(MERCHANT_STATUSES), 'in_review'),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 10),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
});

export const MerchantResponse = z
  .object({
    id: z.string().register(z.globalRegistry, { example: 'mch_4fJ2kq9ZbXw1Lm3nP0rS7t' }),
    object: z.literal('merchant'),
    status: z.enum(MERCHANT_STATUSES),
    owner: z.string().register(z.globalRegistry, { example: '@alice:tween.example' }),
    name: z.string(),
    email: z.string(),
    phone: z.nullable(z.string()),
    country: z.string(),
    business_type: z.enum(['individual', 'company']),
    reserve_bps: int(),
    connected_account_id: z.nullable(z.string()).register(z.globalRegistry, {
      description: 'The Stripe connected account payouts go to, created on approval',
    }),
    review_reason: z.nullable(z.string()).register(z.globalRegistry, {
      description: "The last review's reason (a rejection's is emailed to the owner)",
    }),
    created: int().register(z.globalRegistry, { description: 'Epoch seconds' }),
  })
  .register(z.globalRegistry, { id: 'Merchant' });

export const MerchantList = listOf(MerchantResponse, 'MerchantList');
