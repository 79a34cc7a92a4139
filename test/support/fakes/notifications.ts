import type { Page, PageQuery } from '../../../shared/app/merchant-customers/ports.js';
import type {
  CustomerContact,
  MerchantContact,
  NotificationRecipients,
  NotificationStore,
} from '../../../shared/app/notifications/ports.js';
import type { Tenant } from '../../../shared/domain/customer.js';
import type {
  Notification,
  NotificationChannel,
  NotificationStatus,
} from '../../../shared/domain/notification.js';

/** Notifications in memory, with the adapter's conditions: claim is first-write-wins, a sent one stays sent. */
export class FakeNotificationStore implements NotificationStore {
  readonly items = new Map<string, Notification>();

  async claim(notification: Notification): Promise<Notification> {
    const existing = this.items.get(notification.notificationId);
    if (existing !== undefined) return { ...existing };
    this.items.set(notification.notificationId, { ...notification });
    return { ...notification };
  }

  async markSent(notification: Notification, at: string): Promise<void> {
    this.#attempt(notification, (n) => {
      const { lastError: _lastError, ...rest } = n;
      return { ...rest, status: 'sent', sentAt: at, updatedAt: at };
    });
  }

  async markFailed(notification: Notification, lastError: string, at: string): Promise<void> {
    this.#attempt(notification, (n) => ({ ...n, status: 'failed', lastError, updatedAt: at }));
  }

  async get(tenant: Tenant, notificationId: string): Promise<Notification | undefined> {
    const found = this.items.get(notificationId);
    return found?.merchantId === tenant.merchantId && found.mode === tenant.mode ? { ...found } : undefined;
  }

  async list(
    tenant: Tenant,
    query: PageQuery & { channel?: NotificationChannel; status?: NotificationStatus },
  ): Promise<Page<Notification>> {
    const items = [...this.items.values()]
      .filter((n) => n.merchantId === tenant.merchantId && n.mode === tenant.mode)
      .filter((n) => query.channel === undefined || n.channel === query.channel)
      .filter((n) => query.status === undefined || n.status === query.status)
      .sort((a, b) =>
        `${b.createdAt}#${b.notificationId}`.localeCompare(`${a.createdAt}#${a.notificationId}`),
      );
    const start =
      query.after === undefined ? 0 : items.findIndex((n) => n.notificationId === query.after) + 1;
    const page = items.slice(start, start + query.limit);
    const last = page.at(-1);
    return {
      items: page,
      ...(start + query.limit < items.length && last !== undefined ? { after: last.notificationId } : {}),
    };
  }

  #attempt(notification: Notification, change: (n: Notification) => Notification): void {
    const stored = this.items.get(notification.notificationId);
    if (stored === undefined || stored.status === 'sent') return;
    this.items.set(notification.notificationId, { ...change(stored), attempts: stored.attempts + 1 });
  }
}

/** Recipients from plain maps. */
export class FakeRecipients implements NotificationRecipients {
  readonly merchants = new Map<string, MerchantContact>();
  readonly customers = new Map<string, CustomerContact>();
  readonly intentCustomers = new Map<string, string>();

  async merchant(merchantId: string): Promise<MerchantContact | undefined> {
    return this.merchants.get(merchantId);
  }

  async customer(_tenant: Tenant, customerId: string): Promise<CustomerContact | undefined> {
    return this.customers.get(customerId);
  }

  async customerOfPaymentIntent(_tenant: Tenant, intentId: string): Promise<string | undefined> {
    return this.intentCustomers.get(intentId);
  }
}

/** A channel that records what it sent, and fails while `down`. */
export class FakeChannel<T> {
  readonly sent: T[] = [];
  down = false;

  deliver(message: T): Promise<void> {
    if (this.down)
      return Promise.reject(Object.assign(new Error('provider down'), { code: 'DEPENDENCY_UNAVAILABLE' }));
    this.sent.push(message);
    return Promise.resolve();
  }
}
