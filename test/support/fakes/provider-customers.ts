import type { ProviderCustomers, ProviderName } from '../../../shared/app/payments/ports.js';
import { roundTrip } from './round-trip.js';

/** Like DynamoDbProviderCustomers: one customer per user and processor, the first claim stands. */
export class InMemoryProviderCustomers implements ProviderCustomers {
  readonly #byUser = new Map<string, string>();

  async find(userId: string, provider: ProviderName): Promise<string | undefined> {
    await roundTrip();
    return this.#byUser.get(`${provider}:${userId}`);
  }

  async claim(userId: string, provider: ProviderName, customerId: string): Promise<string> {
    await roundTrip();
    const key = `${provider}:${userId}`;
    const stored = this.#byUser.get(key);
    if (stored !== undefined) return stored;
    this.#byUser.set(key, customerId);
    return customerId;
  }
}
