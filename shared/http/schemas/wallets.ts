import { z } from 'zod';
import { MAX_AMOUNT } from '../../domain/money.js';
import { PAYPAL_METHOD_ID } from '../../domain/payment.js';

const Amount = z.number().int().positive().max(MAX_AMOUNT).meta({
  description: "Integer amount in the currency's minor unit (USD 1050 = $10.50, JPY 1050 = ¥1050)",
  example: 10000,
});
const Currency = z
  .string()
  .meta({ description: 'ISO 4217 code, upper case, one of ENABLED_CURRENCIES', example: 'USD' });
export const UserIdParams = z.object({ userId: z.string().min(1).max(255) });

/** A card saved at the processor (`pm_…`), or the payer's PayPal account (approved at PayPal). */
export const TopupPaymentMethod = z.discriminatedUnion('type', [
  z.object({ type: z.literal('card'), id: z.string().min(1).max(255) }).strict(),
  z.object({ type: z.literal('paypal') }).strict(),
]);

/** The one payment method id the use cases see: a card's id, or `paypal`. */
export function paymentMethodIdOf(method: z.infer<typeof TopupPaymentMethod>): string {
  return method.type === 'card' ? method.id : PAYPAL_METHOD_ID;
}

/** The inverse of paymentMethodIdOf, for responses. */
export function paymentMethodOf(paymentMethodId: string): z.infer<typeof TopupPaymentMethod> {
  return paymentMethodId === PAYPAL_METHOD_ID ? { type: 'paypal' } : { type: 'card', id: paymentMethodId };
}

export const TopupRequest = z
  .object({
    amount: Amount,
    currency: Currency,
    paymentMethod: TopupPaymentMethod,
  })
  .strict()
  .meta({ id: 'TopupRequest' });

export const Topup = z
  .object({
    topupId: z.string(),
    walletId: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    status: z.enum(['pending', 'requires_action', 'processing', 'succeeded', 'failed']),
    paymentMethod: TopupPaymentMethod,
    nextAction: z.object({ type: z.literal('redirect_to_url'), url: z.url() }).optional(),
    createdAt: z.iso.datetime(),
    completedAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'Topup' });

export const Balance = z
  .object({
    userId: z.string(),
    walletId: z.string(),
    balances: z.array(
      z.object({
        currency: z.string(),
        available: z.number().int().meta({ description: 'Spendable now' }),
        pending: z.number().int().meta({ description: 'Reserved by transfers not yet settled' }),
        total: z.number().int().meta({ description: 'available + pending' }),
      }),
    ),
  })
  .meta({ id: 'Balance' });

export const TransactionsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(1024).optional(),
  })
  .strict();

export const TransactionsPage = z
  .object({
    items: z.array(
      z.object({
        transferId: z.string(),
        type: z.string().meta({ example: 'topup' }),
        direction: z.enum(['debit', 'credit']),
        amount: z.number().int(),
        currency: z.string(),
        status: z.enum(['posted', 'pending', 'voided', 'expired']),
        createdAt: z.iso.datetime(),
        metadata: z.record(z.string(), z.string()),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'TransactionsPage' });

export const PaymentMethods = z
  .object({
    items: z.array(
      z.union([
        z.object({ type: z.literal('wallet'), id: z.string() }),
        z.object({
          type: z.literal('card'),
          id: z.string(),
          brand: z.string(),
          last4: z.string(),
          expMonth: z.number().int(),
          expYear: z.number().int(),
          lastUsedAt: z.iso.datetime(),
        }),
      ]),
    ),
  })
  .meta({ id: 'PaymentMethods' });
