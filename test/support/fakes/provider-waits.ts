/**
 * The provider-wait list as the sparse GSI2 keeps it, read from the in-memory repositories: a top-up waits
 * from its creation until it succeeds or fails, a card payment while it is Processing (since it got there), a
 * refund from its creation while pending.
 */

import type {
  ProviderWait,
  ProviderWaitKind,
  ProviderWaitList,
  ProviderWaitPage,
} from '../../../shared/app/reconciliation/ports.js';
import type { Payment } from '../../../shared/domain/payment.js';
import type { InMemoryPayments } from './payments.js';
import type { InMemoryTopups } from './topups.js';

export class InMemoryProviderWaits implements ProviderWaitList {
  /** Every page asked for, to prove the job reads page by page. */
  readonly pages: { kind: ProviderWaitKind; before: string; limit: number; after?: string }[] = [];

  constructor(
    private readonly topups: InMemoryTopups,
    private readonly payments: InMemoryPayments,
  ) {}

  async waitingBefore(
    kind: ProviderWaitKind,
    before: string,
    page: { limit: number; after?: string },
  ): Promise<ProviderWaitPage> {
    this.pages.push({ kind, before, ...page });
    const all = (kind === 'topup' ? this.#topups() : kind === 'refund' ? this.#refunds() : this.#payments())
      .filter((wait) => wait.waitingSince < before)
      .sort((a, b) => position(a).localeCompare(position(b)));
    const from = page.after === undefined ? all : all.filter((wait) => position(wait) > (page.after ?? ''));
    const items = from.slice(0, page.limit);
    const last = items.at(-1);
    return { items, ...(from.length > page.limit && last !== undefined ? { after: position(last) } : {}) };
  }

  #topups(): ProviderWait[] {
    return this.topups
      .all()
      .filter((topup) => topup.status !== 'succeeded' && topup.status !== 'failed')
      .map((topup) => ({ kind: 'topup', id: topup.topupId, waitingSince: topup.createdAt }));
  }

  #refunds(): ProviderWait[] {
    return this.payments
      .refunds()
      .filter((refund) => refund.status === 'pending')
      .map((refund) => ({ kind: 'refund', id: refund.refundId, waitingSince: refund.createdAt }));
  }

  #payments(): ProviderWait[] {
    return this.payments
      .all()
      .filter((payment) => payment.state === 'Processing' && payment.paymentMethod.type === 'card')
      .map((payment) => ({ kind: 'payment', id: payment.paymentId, waitingSince: processingSince(payment) }));
  }
}

function processingSince(payment: Payment): string {
  return payment.history.findLast((entry) => entry.state === 'Processing')?.at ?? payment.createdAt;
}

function position(wait: ProviderWait): string {
  return `${wait.waitingSince}#${wait.id}`;
}
