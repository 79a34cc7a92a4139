import * as z from 'zod/mini';
import { MAX_AMOUNT } from '../../domain/money.js';

export const TransferIdParams = z.object({
  transferId: z.string().check(z.regex(/^p2p_[A-Za-z0-9]{1,64}$/, 'unknown transfer id')),
});

export const InitiateRequest = z
  .strictObject({
    recipient: z.string().check(z.regex(/^@[^:\s]+:\S+$/, 'must be a Matrix user id')),
    amount: z.number().check(z.int(), z.positive(), z.maximum(MAX_AMOUNT)),
    currency: z.string(),
    note: z.optional(z.string().check(z.maxLength(500))),
    room_id: z.string().check(z.regex(/^![^:\s]+:\S+$/, 'must be a Matrix room id')),
  })
  .register(z.globalRegistry, { id: 'P2pInitiateRequest' });

export const P2pTransferResponse = z
  .object({
    transfer_id: z.string(),
    status: z.enum(['pending_recipient_acceptance', 'completed', 'rejected', 'cancelled', 'expired']),
    amount: z.number().check(z.int()),
    currency: z.string(),
    sender: z.object({ user_id: z.string(), wallet_id: z.string() }),
    recipient: z.object({ user_id: z.string(), wallet_id: z.string() }),
    note: z.nullable(z.string()),
    room_id: z.string(),
    expires_at: z.iso.datetime(),
    created_at: z.iso.datetime(),
    decided_at: z.optional(z.iso.datetime()),
  })
  .register(z.globalRegistry, { id: 'P2pTransfer' });
