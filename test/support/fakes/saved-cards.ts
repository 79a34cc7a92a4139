import type { CardDetails } from '../../../shared/app/payments/ports.js';
import type { SavedCard, SavedCards } from '../../../shared/app/wallets/ports.js';
import { roundTrip } from './round-trip.js';

/** Like DynamoDbSavedCards: one entry per physical card (fingerprint, else brand-last4-expiry), last write wins. */
export class InMemorySavedCards implements SavedCards {
  readonly #byUser = new Map<string, Map<string, SavedCard>>();

  async save(userId: string, card: CardDetails, at: string): Promise<void> {
    await roundTrip();
    const identity = card.fingerprint ?? `${card.brand}-${card.last4}-${card.expMonth}-${card.expYear}`;
    const cards = this.#byUser.get(userId) ?? new Map<string, SavedCard>();
    this.#byUser.set(userId, cards);
    cards.set(identity, { ...card, lastUsedAt: at });
  }

  async list(userId: string): Promise<SavedCard[]> {
    await roundTrip();
    return [...(this.#byUser.get(userId)?.values() ?? [])].map((card) => ({ ...card }));
  }
}
