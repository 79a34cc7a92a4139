import { z } from 'zod';
import { MAX_AMOUNT } from '../../domain/money.js';

export const TransferIdParams = z.object({
  transferId: z.string().regex(/^p2p_[A-Za-z0-9]{1,64}$/, 'unknown transfer id'),
});

export const InitiateRequest = z
  .object({
    recipient: z.string().regex(/^@[^:\s]+:\S+$/, 'must be a Matrix user id'),
    amount: z.number().int().positive().max(MAX_AMOUNT),
    currency: z.string(),
    note: z.string().max(500).optional(),
    room_id: z.string().regex(/^![^:\s]+:\S+$/, 'must be a Matrix room id'),
  })
  .strict()
  .meta({ id: 'P2pInitiateRequest' });

export const P2pTransferResponse = z
  .object({
    transfer_id: z.string(),
    status: z.enum(['pending_recipient_acceptance', 'completed', 'rejected', 'cancelled', 'expired']),
    amount: z.number().int(),
    currency: z.string(),
    sender: z.object({ user_id: z.string(), wallet_id: z.string() }),
    recipient: z.object({ user_id: z.string(), wallet_id: z.string() }),
    note: z.string().nullable(),
    room_id: z.string(),
    expires_at: z.iso.datetime(),
    created_at: z.iso.datetime(),
    decided_at: z.iso.datetime().optional(),
  })
  .meta({ id: 'P2pTransfer' });
