import * as z from 'zod/mini';
import { MAX_AMOUNT } from '../../domain/money.js';
import { PAYPAL_METHOD_ID } from '../../domain/payment.js';

const int = () => z.number().check(z.int());
const Amount = z.number().check(z.int(), z.positive(), z.maximum(MAX_AMOUNT)).register(z.globalRegistry, {
  description: "Integer amount in the currency's minor unit (USD 1050 = $10.50, JPY 1050 = ¥1050)",
  example: 10000,
});
const Currency = z.string().register(z.globalRegistry, {
  description: 'ISO 4217 code, upper case, one of ENABLED_CURRENCIES',
  example: 'USD',
});
export const UserIdParams = z.object({ userId: z.string().check(z.minLength(1), z.maxLength(255)) });

/** A card saved at the processor (`pm_…`), or the payer's PayPal account (approved at PayPal). */
export const TopupPaymentMethod = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('card'), id: z.string().check(z.minLength(1), z.maxLength(255)) }),
  z.strictObject({ type: z.literal('paypal') }),
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
  .strictObject({
    amount: Amount,
    currency: Currency,
    paymentMethod: TopupPaymentMethod,
  })
  .register(z.globalRegistry, { id: 'TopupRequest' });

export const Topup = z
  .object({
    topupId: z.string(),
    walletId: z.string(),
    amount: int(),
    currency: z.string(),
    status: z.enum(['pending', 'requires_action', 'processing', 'succeeded', 'failed']),
    paymentMethod: TopupPaymentMethod,
    nextAction: z.optional(z.object({ type: z.literal('redirect_to_url'), url: z.url() })),
    createdAt: z.iso.datetime(),
    completedAt: z.optional(z.iso.datetime()),
  })
  .register(z.globalRegistry, { id: 'Topup' });

export const Balance = z
  .object({
    userId: z.string(),
    walletId: z.string(),
    balances: z.array(
      z.object({
        currency: z.string(),
        available: int().register(z.globalRegistry, { description: 'Spendable now' }),
        pending: int().register(z.globalRegistry, { description: 'Reserved by transfers not yet settled' }),
        total: int().register(z.globalRegistry, { description: 'available + pending' }),
      }),
    ),
  })
  .register(z.globalRegistry, { id: 'Balance' });

export const TransactionsQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
});

export const TransactionsPage = z
  .object({
    items: z.array(
      z.object({
        transferId: z.string(),
        type: z.string().register(z.globalRegistry, { example: 'topup' }),
        direction: z.enum(['debit', 'credit']),
        amount: int(),
        currency: z.string(),
        status: z.enum(['posted', 'pending', 'voided', 'expired']),
        createdAt: z.iso.datetime(),
        metadata: z.record(z.string(), z.string()),
      }),
    ),
    nextCursor: z.nullable(z.string()),
  })
  .register(z.globalRegistry, { id: 'TransactionsPage' });

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
          expMonth: int(),
          expYear: int(),
          lastUsedAt: z.iso.datetime(),
        }),
      ]),
    ),
  })
  .register(z.globalRegistry, { id: 'PaymentMethods' });
