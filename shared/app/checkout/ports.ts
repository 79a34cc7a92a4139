/** What hosted checkout needs of the world besides the billing seams (../billing/ports.ts). */
import type { CheckoutSession } from '../../domain/checkout-session.js';
import type { Tenant } from '../../domain/customer.js';
import type { DomainEventDetail } from '../../domain/events.js';
import type { Merchant } from '../../domain/merchant.js';
import type { Page, PageQuery } from '../merchant-customers/ports.js';

export type { Page, PageQuery, Tenant };

export type CheckoutEventType = 'checkout.session.completed' | 'checkout.session.expired';

export interface CheckoutEvent<T extends CheckoutEventType = CheckoutEventType> {
  type: T;
  detail: DomainEventDetail<T>;
}

export interface CheckoutSessionStore {
  /** Stores a new session (and the pointer its page finds it by) in one write. */
  create(session: CheckoutSession): Promise<CheckoutSession>;
  /** The tenant's session, or undefined (another tenant's is never found). */
  get(tenant: Tenant, sessionId: string): Promise<CheckoutSession | undefined>;
  /** The session its hosted page names, whoever's it is (the id is the page's capability). */
  find(sessionId: string): Promise<CheckoutSession | undefined>;
  /** The tenant's sessions, newest first. */
  list(tenant: Tenant, query: PageQuery): Promise<Page<CheckoutSession>>;
  /**
   * Marks the session's payment started with its PaymentIntent, one conditional write: the session must be
   * open, not past `expires_at` at `now`, and unclaimed or claimed by this same intent. Answers the session
   * as stored afterwards (when the claim lost, as it is: closed, or past its expiry).
   */
  claim(session: CheckoutSession, paymentIntentId: string, now: Date): Promise<CheckoutSession>;
  /**
   * open → `after` (complete or expired) with its event, one conditional write: the session must still be
   * open, and an expiry only while the session's payment is as `after` read it (not claimed since). Answers the session as stored afterwards (when someone else closed it first, theirs).
   */
  close(after: CheckoutSession, event: CheckoutEvent): Promise<CheckoutSession>;
}

export interface CheckoutMerchants {
  get(merchantId: string): Promise<Merchant | undefined>;
}
