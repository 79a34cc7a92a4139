import * as z from 'zod/mini';
import { BALANCE_TRANSACTION_TYPES, type BalanceTransaction } from '../../../domain/balance.js';
import { defineEntity } from '../entity.js';
import { balanceTransactionIdIndexKey, balanceTransactionKey, settlementDueIndexKey } from '../keys.js';
import { exactSchemaOf } from './exact.js';

/**
 * A balance transaction in its merchant's tenant partition, newest first, and by its id on GSI1. While
 * pending it is also on the settlement worklist (GSI2, by when it is due); settling it removes it from there.
 */
export const BalanceTransactionEntity = defineEntity<BalanceTransaction>({
  type: 'BalanceTransaction',
  schema: exactSchemaOf<BalanceTransaction>()(
    z.object({
      id: z.string(),
      merchantId: z.string(),
      mode: z.enum(['test', 'live']),
      kind: z.enum(BALANCE_TRANSACTION_TYPES),
      amount: z.number(),
      fee: z.number(),
      net: z.number(),
      currency: z.string(),
      status: z.enum(['pending', 'available']),
      availableOn: z.number(),
      source: z.string(),
      created: z.number(),
    }),
  ),
  key: (t) => balanceTransactionKey(t.merchantId, t.mode, t.created, t.id),
  indexes: (t) => ({
    ...balanceTransactionIdIndexKey(t.id),
    ...(t.status === 'pending' ? settlementDueIndexKey(t.availableOn, t.id) : {}),
  }),
});
