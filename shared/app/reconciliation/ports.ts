/** What the reconciliation job needs beyond the shared ports. */

/** A record waiting on the payment provider: a top-up, a card payment in Processing, a pending refund. */
export type ProviderWaitKind = 'topup' | 'payment' | 'refund' | 'intent_refund';

export interface ProviderWait {
  kind: ProviderWaitKind;
  /** Our id: the top-up id, the payment id, the refund id, a PaymentIntent refund's intentRefundWaitId. */
  id: string;
  /** When it started waiting (a top-up's creation, a card payment's move to Processing). */
  waitingSince: string;
}

export interface ProviderWaitPage {
  items: ProviderWait[];
  /** Where the next page starts (an adapter position); absent on the last page. */
  after?: string;
}

/** The worklist of records waiting on the provider, oldest first. */
export interface ProviderWaitList {
  /** Records of `kind` that have been waiting since before `before` (an ISO time), oldest first. */
  waitingBefore(
    kind: ProviderWaitKind,
    before: string,
    page: { limit: number; after?: string },
  ): Promise<ProviderWaitPage>;
}
