import { listPaymentMethods } from '../../../../shared/app/wallets/list-payment-methods.js';
import { ForbiddenError } from '../../../../shared/domain/errors.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { sequentialIds } from '../../../support/fakes/ids.js';
import { InMemorySavedCards } from '../../../support/fakes/saved-cards.js';
import { InMemoryWallets } from '../../../support/fakes/wallets.js';

const ALICE = 'user_alice';
const BOB = 'user_bob';

function setup() {
  const clock = fixedClock('2026-03-01T12:00:00.000Z');
  const wallets = new InMemoryWallets(sequentialIds(), clock);
  const savedCards = new InMemorySavedCards();
  return { wallets, savedCards, deps: { wallets, savedCards } };
}

const visa = {
  id: 'pm_visa',
  brand: 'visa',
  last4: '4242',
  expMonth: 12,
  expYear: 2030,
  fingerprint: 'fp_visa',
};
const amex = {
  id: 'pm_amex',
  brand: 'amex',
  last4: '0005',
  expMonth: 1,
  expYear: 2029,
  fingerprint: 'fp_amex',
};
const mastercard = { id: 'pm_mc', brand: 'mastercard', last4: '4444', expMonth: 6, expYear: 2031 };

describe('Use case: listPaymentMethods', () => {
  it('refuses with FORBIDDEN when the caller asks for another user', async () => {
    // Arrange
    const { deps, savedCards } = setup();
    await savedCards.save(ALICE, visa, '2026-03-01T10:00:00.000Z');

    // Act
    const attempt = listPaymentMethods(BOB, ALICE, deps);

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(ForbiddenError);
    await expect(attempt).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('answers only the wallet, created on first use, when the user has paid with no card', async () => {
    // Arrange
    const { deps, wallets } = setup();

    // Act
    const methods = await listPaymentMethods(ALICE, ALICE, deps);

    // Assert
    const wallet = await wallets.find(ALICE);
    expect(methods).toEqual({ items: [{ type: 'wallet', id: wallet?.walletId }] });
  });

  it('answers the wallet first, then the cards most recently used first', async () => {
    // Arrange
    const { deps, savedCards, wallets } = setup();
    const wallet = await wallets.ensure(ALICE);
    await savedCards.save(ALICE, visa, '2026-03-01T09:00:00.000Z');
    await savedCards.save(ALICE, amex, '2026-03-01T11:00:00.000Z');
    await savedCards.save(ALICE, mastercard, '2026-03-01T10:00:00.000Z');

    // Act
    const methods = await listPaymentMethods(ALICE, ALICE, deps);

    // Assert
    expect(methods.items).toEqual([
      { type: 'wallet', id: wallet.walletId },
      {
        type: 'card',
        id: 'pm_amex',
        brand: 'amex',
        last4: '0005',
        expMonth: 1,
        expYear: 2029,
        lastUsedAt: '2026-03-01T11:00:00.000Z',
      },
      {
        type: 'card',
        id: 'pm_mc',
        brand: 'mastercard',
        last4: '4444',
        expMonth: 6,
        expYear: 2031,
        lastUsedAt: '2026-03-01T10:00:00.000Z',
      },
      {
        type: 'card',
        id: 'pm_visa',
        brand: 'visa',
        last4: '4242',
        expMonth: 12,
        expYear: 2030,
        lastUsedAt: '2026-03-01T09:00:00.000Z',
      },
    ]);
  });

  it('answers a card once, under its latest payment method, when the same card was used twice', async () => {
    // Arrange
    const { deps, savedCards } = setup();
    await savedCards.save(ALICE, visa, '2026-03-01T09:00:00.000Z');
    await savedCards.save(ALICE, amex, '2026-03-01T10:00:00.000Z');
    await savedCards.save(ALICE, { ...visa, id: 'pm_visa_again' }, '2026-03-01T11:00:00.000Z');

    // Act
    const methods = await listPaymentMethods(ALICE, ALICE, deps);

    // Assert
    expect(methods.items.map((item) => item.id).slice(1)).toEqual(['pm_visa_again', 'pm_amex']);
  });

  it("never answers another user's cards", async () => {
    // Arrange
    const { deps, savedCards } = setup();
    await savedCards.save(BOB, visa, '2026-03-01T09:00:00.000Z');

    // Act
    const methods = await listPaymentMethods(ALICE, ALICE, deps);

    // Assert
    expect(methods.items.map((item) => item.type)).toEqual(['wallet']);
  });
});
