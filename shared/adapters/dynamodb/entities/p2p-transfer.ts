import * as z from 'zod/mini';
import type { P2pTransfer } from '../../../domain/p2p.js';
import { defineEntity } from '../entity.js';
import { p2pTransferKey } from '../keys.js';
import type { SameType } from './exact.js';

const party = z.object({ userId: z.string(), walletId: z.string() });

const schema = z.object({
  transferId: z.string(),
  status: z.enum(['pending_recipient_acceptance', 'completed', 'rejected', 'cancelled', 'expired']),
  amount: z.number(),
  currency: z.string(),
  sender: party,
  recipient: party,
  note: z.nullable(z.string()),
  roomId: z.string(),
  expiresAt: z.string(),
  createdAt: z.string(),
  // Set by a decision (`decide`), with the task token removed in the same write.
  decidedAt: z.exactOptional(z.string()),
  // Set while the flow waits for the recipient (`attachTaskToken`).
  taskToken: z.exactOptional(z.string()),
});

true satisfies SameType<z.output<typeof schema>, P2pTransfer>;

/** A transfer between two users: `P2P#<transfer id>` / `P2P`. */
export const P2pTransferEntity = defineEntity<P2pTransfer>({
  type: 'P2pTransfer',
  schema: schema satisfies z.ZodMiniType<P2pTransfer>,
  key: (transfer) => p2pTransferKey(transfer.transferId),
});
