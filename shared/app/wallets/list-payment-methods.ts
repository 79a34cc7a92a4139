import { assertSelf } from '../access.js';
import type { WalletDirectory } from '../ports.js';
import type { SavedCards } from './ports.js';

export type PaymentMethodView =
  | { type: 'wallet'; id: string }
  | {
      type: 'card';
      id: string;
      brand: string;
      last4: string;
      expMonth: number;
      expYear: number;
      lastUsedAt: string;
    };

/**
 * 1. Only the caller's own methods: the wallet (created on first use), then the cards they topped up
 *    with, most recently used first.
 */
export async function listPaymentMethods(
  callerId: string,
  userId: string,
  deps: { wallets: WalletDirectory; savedCards: SavedCards },
): Promise<{ items: PaymentMethodView[] }> {
  assertSelf(callerId, userId);
  const [wallet, cards] = await Promise.all([deps.wallets.ensure(userId), deps.savedCards.list(userId)]);
  return {
    items: [
      { type: 'wallet', id: wallet.walletId },
      ...cards
        .sort((a, b) => b.lastUsedAt.localeCompare(a.lastUsedAt))
        .map((card) => ({
          type: 'card' as const,
          id: card.id,
          brand: card.brand,
          last4: card.last4,
          expMonth: card.expMonth,
          expYear: card.expYear,
          lastUsedAt: card.lastUsedAt,
        })),
    ],
  };
}
