/** An in-memory checkout session store with the DynamoDB store's conditions: a session closes once, from open. */
import type {
  CheckoutEvent,
  CheckoutSessionStore,
  Page,
  PageQuery,
} from '../../../shared/app/checkout/ports.js';
import type { CheckoutSession } from '../../../shared/domain/checkout-session.js';
import type { Tenant } from '../../../shared/domain/customer.js';

export class InMemoryCheckoutSessions implements CheckoutSessionStore {
  readonly sessions = new Map<string, CheckoutSession>();
  readonly events: CheckoutEvent[] = [];

  async create(session: CheckoutSession): Promise<CheckoutSession> {
    if (this.sessions.has(session.sessionId)) throw new Error(`${session.sessionId} exists`);
    this.sessions.set(session.sessionId, session);
    return session;
  }

  async get(tenant: Tenant, sessionId: string): Promise<CheckoutSession | undefined> {
    const session = this.sessions.get(sessionId);
    return session?.merchantId === tenant.merchantId && session.mode === tenant.mode ? session : undefined;
  }

  async find(sessionId: string): Promise<CheckoutSession | undefined> {
    return this.sessions.get(sessionId);
  }

  async list(tenant: Tenant, query: PageQuery): Promise<Page<CheckoutSession>> {
    const mine = [...this.sessions.values()]
      .filter((session) => session.merchantId === tenant.merchantId && session.mode === tenant.mode)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.sessionId.localeCompare(a.sessionId));
    const from = query.after === undefined ? 0 : mine.findIndex((s) => s.sessionId === query.after) + 1;
    const items = mine.slice(from, from + query.limit);
    const last = items.at(-1);
    return from + query.limit < mine.length && last !== undefined
      ? { items, after: last.sessionId }
      : { items };
  }

  async claim(session: CheckoutSession, paymentIntentId: string, now: Date): Promise<CheckoutSession> {
    const stored = this.sessions.get(session.sessionId);
    if (stored === undefined) throw new Error(`${session.sessionId} is not stored`);
    const claimable =
      stored.status === 'open' &&
      now.getTime() < Date.parse(stored.expiresAt) &&
      (stored.paymentIntentId === null || stored.paymentIntentId === paymentIntentId);
    if (!claimable) return stored;
    const claimed = { ...stored, paymentIntentId, updatedAt: now.toISOString() };
    this.sessions.set(session.sessionId, claimed);
    return claimed;
  }

  async close(after: CheckoutSession, event: CheckoutEvent): Promise<CheckoutSession> {
    const stored = this.sessions.get(after.sessionId);
    if (stored === undefined) throw new Error(`${after.sessionId} is not stored`);
    if (stored.status !== 'open') return stored;
    if (after.status === 'expired' && stored.paymentIntentId !== after.paymentIntentId) return stored;
    this.sessions.set(after.sessionId, after);
    this.events.push(event);
    return after;
  }
}
