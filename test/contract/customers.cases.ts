/**
 * The small create-once ports' contracts: WalletDirectory (shared/app/ports.ts), ProviderCustomers
 * (shared/app/payments/ports.ts) and SavedCards (shared/app/wallets/ports.ts), run against their in-memory
 * fakes and their DynamoDB adapters.
 */
import type { ProviderCustomers } from '../../shared/app/payments/ports.js';
import type { WalletDirectory } from '../../shared/app/ports.js';
import type { SavedCards } from '../../shared/app/wallets/ports.js';
import { at, unique } from './subject.js';

export function walletsContract(make: () => { wallets: WalletDirectory }): void {
  describe('Port: WalletDirectory', () => {
    it('creates one wallet per user on first use, even when two first uses race, and finds it after', async () => {
      const { wallets } = make();
      const userId = unique('user-');

      expect(await wallets.find(userId)).toBeUndefined();
      const [a, b] = await Promise.all([wallets.ensure(userId), wallets.ensure(userId)]);

      expect(a).toEqual(b);
      expect(a.userId).toBe(userId);
      expect(await wallets.ensure(userId)).toEqual(a);
      expect(await wallets.find(userId)).toEqual(a);
    });
  });
}

export function providerCustomersContract(make: () => { customers: ProviderCustomers }): void {
  describe('Port: ProviderCustomers', () => {
    it('records one customer per user and processor: the first claim stands', async () => {
      const { customers } = make();
      const userId = unique('user-');

      expect(await customers.find(userId, 'stripe')).toBeUndefined();
      expect(await customers.claim(userId, 'stripe', 'cus_first')).toBe('cus_first');
      expect(await customers.claim(userId, 'stripe', 'cus_second')).toBe('cus_first');
      expect(await customers.find(userId, 'stripe')).toBe('cus_first');
      expect(await customers.find(userId, 'paypal')).toBeUndefined();
    });
  });
}

export function savedCardsContract(make: () => { cards: SavedCards }): void {
  describe('Port: SavedCards', () => {
    it('keeps one entry per physical card, the last use winning', async () => {
      const { cards } = make();
      const userId = unique('user-');
      const card = {
        id: 'pm_1',
        brand: 'visa',
        last4: '4242',
        expMonth: 12,
        expYear: 2030,
        fingerprint: 'fp_1',
      };

      await cards.save(userId, card, at(1));
      await cards.save(userId, { ...card, id: 'pm_2' }, at(2));
      await cards.save(userId, { ...card, id: 'pm_3', fingerprint: 'fp_3', last4: '1111' }, at(3));

      const listed = await cards.list(userId);
      expect(listed.map((saved) => [saved.id, saved.lastUsedAt]).sort()).toEqual([
        ['pm_2', at(2)],
        ['pm_3', at(3)],
      ]);
      expect(await cards.list(unique('user-'))).toEqual([]);
    });
  });
}
