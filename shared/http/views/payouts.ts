import { type Payout, payoutObjectOf } from '../../domain/payout.js';
import { listView } from './list.js';

/** A merchant's payout as API.md shapes it (Stripe's Payout): the provider's ids and the flow's token stay inside. */
export function payoutView(payout: Payout) {
  return payoutObjectOf(payout);
}

export function payoutListView(payouts: readonly Payout[], nextCursor: string | null) {
  return listView(payouts.map(payoutView), nextCursor);
}
