import * as z from 'zod/mini';
import { type Dispute, PROVIDER_DISPUTE_STATUSES } from '../../../domain/dispute.js';
import { defineEntity } from '../entity.js';
import { disputeKey } from '../keys.js';
import type { SameType } from './exact.js';

const schema = z.object({
  disputeId: z.string(),
  provider: z.string(),
  topupId: z.string(),
  userId: z.string(),
  walletId: z.string(),
  providerPaymentId: z.string(),
  amount: z.int(),
  currency: z.string(),
  frozenAmount: z.int(),
  shortfall: z.int(),
  status: z.enum(['open', 'won', 'lost'], { error: 'unknown status' }),
  providerStatus: z.enum(PROVIDER_DISPUTE_STATUSES, { error: 'unknown status' }),
  reason: z.exactOptional(z.string()),
  freezeTransferId: z.exactOptional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.exactOptional(z.string()),
});

true satisfies SameType<z.output<typeof schema>, Dispute>;

/** A dispute of a top-up: `DISPUTE#<dispute id>` / `DISPUTE`, written only with its ledger transfer. */
export const DisputeEntity = defineEntity<Dispute>({
  type: 'Dispute',
  schema: schema satisfies z.ZodMiniType<Dispute>,
  key: (dispute) => disputeKey(dispute.disputeId),
});
