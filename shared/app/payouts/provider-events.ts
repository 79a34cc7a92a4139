/**
 * The provider's `payout.paid` / `payout.failed` (Connect webhooks, through the webhook consumer): the
 * payout its metadata names, read again at the provider (the event says what changed, the provider what is
 * true), applied forward only (applyProviderPayout: its money once, however often the event comes), and the
 * waiting flow resumed.
 */
import { isMode } from '../refunds/wait-ids.js';
import { applyProviderPayout, type PayoutEndDeps } from './lifecycle.js';
import type { PayoutRails } from './ports.js';

export type PayoutEventDeps = PayoutEndDeps & { rails: Pick<PayoutRails, 'retrievePayout'> };

/** What the event names: the connected account, the provider's payout and (from its metadata) ours. */
export interface PayoutEventFacts {
  account?: string | number;
  providerPayoutId?: string | number;
  payoutId?: string | number;
  merchantId?: string | number;
  mode?: string | number;
}

/** The outcome for the inbox (`payout_paid`, `payout_failed`, ...), or undefined when it is not ours. */
export async function applyPayoutEvent(
  facts: PayoutEventFacts,
  deps: PayoutEventDeps,
): Promise<{ outcome: string; payoutId: string } | undefined> {
  const { account, providerPayoutId, payoutId, merchantId, mode } = facts;
  if (
    typeof account !== 'string' ||
    typeof providerPayoutId !== 'string' ||
    typeof payoutId !== 'string' ||
    typeof merchantId !== 'string' ||
    typeof mode !== 'string' ||
    !isMode(mode)
  )
    return undefined;
  const payout = await deps.payouts.get({ merchantId, mode }, payoutId);
  if (
    payout === undefined ||
    payout.destination !== account ||
    (payout.providerPayoutId !== undefined && payout.providerPayoutId !== providerPayoutId)
  )
    return undefined;
  const current = await deps.rails.retrievePayout(account, providerPayoutId);
  const after = await applyProviderPayout(payout, current, deps);
  return { outcome: `payout_${after.status}`, payoutId };
}
