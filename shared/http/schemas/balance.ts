import * as z from 'zod/mini';
import { BALANCE_TRANSACTION_TYPES } from '../../domain/balance.js';
import { listOf } from './list.js';

const int = () => z.number().check(z.int());
const epochSeconds = (description: string) => int().register(z.globalRegistry, { description });

export const BalanceTransactionsQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 10),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
  type: z.optional(z.enum(BALANCE_TRANSACTION_TYPES)),
});

export const BalanceTransactionIdParams = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(255)),
});

export const ReserveRequest = z
  .strictObject({
    reserve_bps: z.number().check(z.int(), z.minimum(0), z.maximum(10_000)).register(z.globalRegistry, {
      description: 'The part of the available balance held back for chargebacks, in basis points',
      example: 500,
    }),
  })
  .register(z.globalRegistry, { id: 'ReserveRequest' });

const amounts = () => z.array(z.object({ amount: int(), currency: z.string() }));

export const BalanceResponse = z
  .object({
    object: z.literal('balance'),
    available: amounts(),
    pending: amounts(),
    reserved: amounts().register(z.globalRegistry, {
      description: 'The rolling reserve: the part of available held back; payable = available − reserved',
    }),
    livemode: z.boolean(),
  })
  .register(z.globalRegistry, { id: 'MerchantBalance' });

export const BalanceTransactionResponse = z
  .object({
    id: z.string(),
    object: z.literal('balance_transaction'),
    type: z.enum(BALANCE_TRANSACTION_TYPES),
    amount: int().register(z.globalRegistry, { description: 'Gross, signed: a refund is negative' }),
    fee: int(),
    net: int().register(z.globalRegistry, { description: 'amount − fee: what the balance moved by' }),
    currency: z.string(),
    status: z.enum(['pending', 'available']),
    available_on: epochSeconds('Epoch seconds: when a pending movement becomes available'),
    source: z.string().register(z.globalRegistry, { description: 'The payment or refund it comes from' }),
    livemode: z.boolean(),
    created: epochSeconds('Epoch seconds'),
  })
  .register(z.globalRegistry, { id: 'BalanceTransaction' });

export const BalanceTransactionList = listOf(BalanceTransactionResponse, 'BalanceTransactionList');
