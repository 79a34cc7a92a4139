/**
 * The merchant's refunds (`POST /v1/refunds`): of a mini-app payment (the payer side's Refund, which its
 * payment's merchant reads and lists) or of a PaymentIntent (an IntentRefund in the merchant's tenant).
 */
import type { Tenant } from '../../domain/customer.js';
import type { Mode } from '../../domain/merchant.js';
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
