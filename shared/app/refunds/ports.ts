/**
 * The merchant's refunds (`POST /v1/refunds`): of a mini-app payment (the payer side's Refund, which its
 * payment's merchant reads and lists) or of a PaymentIntent (an IntentRefund in the merchant's tenant).
 */

import type { MerchantRefund } from '../../domain/balance.js';
import type { Tenant } from '../../domain/customer.js';
import type { Mode } from '../../domain/merchant.js';
import type { PaymentIntent } from '../../domain/payment-intent.js';
import type { Page, PageQuery } from '../merchant-customers/ports.js';
import type { Refund, RefundStatus } from '../payments/ports.js';

export const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];

/** A refund of a PaymentIntent, in its merchant's tenant (merchant and mode). */
export interface IntentRefund {
  refundId: string;
  merchantId: string;
  mode: Mode;
  intentId: string;
  amount: number;
  currency: string;
  status: RefundStatus;
  reason?: string;
  /** The processor's refund, once it answered. */
  providerRefundId?: string;
  createdAt: string;
  updatedAt: string;
}

/** A refund as the merchant API shows it: of a mini-app payment, or of a PaymentIntent. */
export type MerchantRefundRecord =
  | { kind: 'payment'; refund: Refund }
  | { kind: 'payment_intent'; refund: IntentRefund };

export interface MerchantRefunds {
  /** The refund inside the tenant (a mini-app payment's only in live mode, of the tenant's merchant). */
  get(tenant: Tenant, refundId: string): Promise<MerchantRefundRecord | undefined>;
  /** The tenant's refunds of both kinds, newest first. */
  list(tenant: Tenant, query: PageQuery): Promise<Page<MerchantRefundRecord>>;
}

/** What a PaymentIntent's refunds add up to: reserved (pending and succeeded) and succeeded. */
export interface IntentRefundTotals {
  reserved: number;
  settled: number;
}

/** How a pending PaymentIntent refund ends, with its money when it succeeded. */
export interface IntentRefundSettlement {
  refund: IntentRefund;
  status: 'succeeded' | 'failed';
  at: string;
  /** The totals' `settled` the money was computed against: the write requires it unchanged. */
  settledBefore: number;
  merchant?: MerchantRefund;
  providerRefundId?: string;
}

export interface IntentRefundStore {
  intentRefund(tenant: Tenant, refundId: string): Promise<IntentRefund | undefined>;
  totals(tenant: Tenant, intentId: string): Promise<IntentRefundTotals>;
  /**
   * Records the refund (pending) and adds it to the intent's reserved total in one transaction, on the
   * conditions that the intent is succeeded and the total stays within what was captured (else
   * InvalidAmountError). A refund already recorded under the id is returned as it is.
   */
  reserve(intent: PaymentIntent, refund: IntentRefund): Promise<IntentRefund>;
  /**
   * Ends a pending refund in ONE transaction: succeeded with its ledger legs and balance transaction and
   * the settled total; failed with its amount taken off the reserved total (refundable again). A refund no
   * longer pending is returned as it is; ConcurrentModificationError when the settled total moved.
   */
  settle(input: IntentRefundSettlement): Promise<IntentRefund>;
  /** Keeps the processor's refund id on a refund still pending. */
  noteProvider(refund: IntentRefund, providerRefundId: string, at: string): Promise<IntentRefund>;
}
