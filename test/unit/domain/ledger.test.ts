import {
  type Account,
  type AccountKind,
  type AccountRef,
  accounts,
  amountToPost,
  applyPosting,
  assertResolvable,
  assertValidNewTransfer,
  available,
  type Balances,
  CurrencyMismatchError,
  checkLedgerInvariant,
  debitsMustNotExceedCredits,
  InsufficientFundsError,
  PendingTransferNotFoundError,
  PendingTransferResolvedError,
  PostAmountExceedsPendingError,
  postingsOfNew,
  postingsOfResolution,
  sameTransfer,
  type Transfer,
} from '../../../shared/domain/ledger.js';

const zero: Balances = { debitsPosted: 0, creditsPosted: 0, debitsPending: 0, creditsPending: 0 };
const alice = accounts.wallet('tw_alice', 'USD');
const bob = accounts.wallet('tw_bob', 'USD');
const stripe = accounts.providerClearing('stripe', 'USD');
const NOW = new Date('2030-01-01T00:00:00.000Z');

function accountOf(ref: AccountRef, balances: Partial<Balances> = {}): Account {
  return { ...ref, ...zero, ...balances, version: 3 };
}

function pendingTransfer(overrides: Partial<Transfer> = {}): Transfer {
  return {
    id: 'p1',
    type: 'pending',
    debitAccountId: alice.id,
    creditAccountId: bob.id,
    amount: 400,
    currency: 'USD',
    code: 'p2p',
    createdAt: '2029-12-31T23:00:00.000Z',
    metadata: {},
    state: 'pending',
    ...overrides,
  };
}

function directTransfer(overrides: Partial<Transfer> = {}): Transfer {
  return {
    id: 't1',
    type: 'post',
    debitAccountId: alice.id,
    creditAccountId: bob.id,
    amount: 300,
    currency: 'USD',
    code: 'payment',
    createdAt: '2029-12-31T23:00:00.000Z',
    metadata: {},
    ...overrides,
  };
}

describe('Function: postingsOfNew', () => {
  it('debits posted on the debit account and credits posted on the credit account for a post', () => {
    // Act
    const [debit, credit] = postingsOfNew('post', {
      id: 't1',
      debit: alice,
      credit: bob,
      amount: 250,
      code: 'p2p',
    });

    // Assert
    expect(debit).toEqual({ account: alice, delta: { ...zero, debitsPosted: 250 } });
    expect(credit).toEqual({ account: bob, delta: { ...zero, creditsPosted: 250 } });
  });

  it('reserves on the pending counters only for a pending transfer', () => {
    // Act
    const [debit, credit] = postingsOfNew('pending', {
      id: 'p1',
      debit: alice,
      credit: bob,
      amount: 400,
      code: 'p2p',
    });

    // Assert
    expect(debit).toEqual({ account: alice, delta: { ...zero, debitsPending: 400 } });
    expect(credit).toEqual({ account: bob, delta: { ...zero, creditsPending: 400 } });
  });
});

describe('Function: postingsOfResolution', () => {
  it('releases the whole reservation and posts all of it when fully posted', () => {
    // Act
    const [debit, credit] = postingsOfResolution(pendingTransfer(), alice, bob, 400);

    // Assert
    expect(debit.delta).toEqual({ ...zero, debitsPending: -400, debitsPosted: 400 });
    expect(credit.delta).toEqual({ ...zero, creditsPending: -400, creditsPosted: 400 });
  });

  it('releases the whole reservation and posts only the part when partly posted', () => {
    // Act
    const [debit, credit] = postingsOfResolution(pendingTransfer(), alice, bob, 250);

    // Assert
    expect(debit).toEqual({ account: alice, delta: { ...zero, debitsPending: -400, debitsPosted: 250 } });
    expect(credit).toEqual({ account: bob, delta: { ...zero, creditsPending: -400, creditsPosted: 250 } });
  });

  it('releases the whole reservation and posts nothing when voided', () => {
    // Act
    const [debit, credit] = postingsOfResolution(pendingTransfer(), alice, bob, 0);

    // Assert
    expect(debit.delta).toEqual({ ...zero, debitsPending: -400 });
    expect(credit.delta).toEqual({ ...zero, creditsPending: -400 });
  });

  it('leaves the sender with exactly the unposted rest available after a partial post', () => {
    // Arrange
    const sender = accountOf(alice, { creditsPosted: 1000, debitsPending: 400 });
    const [debit] = postingsOfResolution(pendingTransfer(), alice, bob, 250);

    // Act
    const after = applyPosting(sender, debit.delta);

    // Assert
    expect(available(after)).toBe(750);
  });
});

describe('Function: applyPosting', () => {
  it('adds the deltas and bumps the version', () => {
    // Arrange
    const account = accountOf(alice, { creditsPosted: 1000 });

    // Act
    const next = applyPosting(account, { ...zero, debitsPosted: 300, debitsPending: 200 });

    // Assert
    expect(next).toEqual({ ...account, debitsPosted: 300, debitsPending: 200, version: 4 });
    expect(account.debitsPosted).toBe(0);
  });

  it('lets a wallet spend down to exactly zero', () => {
    // Arrange
    const account = accountOf(alice, { creditsPosted: 500 });

    // Act
    const next = applyPosting(account, { ...zero, debitsPosted: 500 });

    // Assert
    expect(available(next)).toBe(0);
  });

  it.each<AccountKind>(['user_wallet', 'app', 'gift_escrow', 'fees'])(
    'refuses an overdraft of a %s account with INSUFFICIENT_FUNDS when spending',
    (kind) => {
      // Arrange
      const account = accountOf({ ...alice, kind }, { creditsPosted: 500 });

      // Act
      const overdraw = () => applyPosting(account, { ...zero, debitsPosted: 501 });

      // Assert
      expect(overdraw).toThrow(InsufficientFundsError);
      expect(overdraw).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_FUNDS' }));
    },
  );

  it('refuses a reservation that exceeds what is available', () => {
    // Arrange
    const account = accountOf(alice, { creditsPosted: 500, debitsPending: 300 });

    // Act
    const reserve = () => applyPosting(account, { ...zero, debitsPending: 201 });

    // Assert
    expect(reserve).toThrow(InsufficientFundsError);
  });

  it('does not count pending credits as available when a wallet spends', () => {
    // Arrange
    const account = accountOf(alice, { creditsPending: 1000 });

    // Act
    const spend = () => applyPosting(account, { ...zero, debitsPosted: 1 });

    // Assert
    expect(spend).toThrow(InsufficientFundsError);
  });

  it('lets the provider clearing account go negative when it pays out', () => {
    // Arrange
    const account = accountOf(stripe);

    // Act
    const next = applyPosting(account, { ...zero, debitsPosted: 5000 });

    // Assert
    expect(available(next)).toBe(-5000);
  });

  it('accepts a credit to a wallet that is already below zero (it does not spend)', () => {
    // Arrange
    const account = accountOf(alice, { debitsPosted: 100 });

    // Act
    const next = applyPosting(account, { ...zero, creditsPosted: 10 });

    // Assert
    expect(available(next)).toBe(-90);
  });

  it('accepts a release that posts less than it releases even when available stays negative', () => {
    // Arrange
    const account = accountOf(alice, { debitsPosted: 100, debitsPending: 400 });

    // Act
    const next = applyPosting(account, { ...zero, debitsPending: -400, debitsPosted: 250 });

    // Assert
    expect(next).toMatchObject({ debitsPosted: 350, debitsPending: 0 });
  });
});

describe('Function: debitsMustNotExceedCredits', () => {
  it.each<[AccountKind, boolean]>([
    ['user_wallet', true],
    ['app', true],
    ['gift_escrow', true],
    ['fees', true],
    ['provider_clearing', false],
  ])('returns %s -> %s', (kind, limited) => {
    // Act & Assert
    expect(debitsMustNotExceedCredits(kind)).toBe(limited);
  });
});

describe('Function: assertValidNewTransfer', () => {
  it('accepts a positive amount between two accounts of one currency', () => {
    // Act
    const check = () =>
      assertValidNewTransfer({ id: 't', debit: stripe, credit: alice, amount: 1, code: 'topup' });

    // Assert
    expect(check).not.toThrow();
  });

  it.each([[0], [-1], [1.5]])('throws INVALID_AMOUNT when the amount is %s', (amount) => {
    // Act
    const check = () =>
      assertValidNewTransfer({ id: 't', debit: stripe, credit: alice, amount, code: 'topup' });

    // Assert
    expect(check).toThrow(expect.objectContaining({ code: 'INVALID_AMOUNT' }));
  });

  it('throws VALIDATION_ERROR when both sides are the same account', () => {
    // Act
    const check = () =>
      assertValidNewTransfer({ id: 't', debit: alice, credit: alice, amount: 1, code: 'p2p' });

    // Assert
    expect(check).toThrow(CurrencyMismatchError);
    expect(check).toThrow(expect.objectContaining({ code: 'VALIDATION_ERROR' }));
  });

  it('throws VALIDATION_ERROR when the accounts hold different currencies', () => {
    // Act
    const check = () =>
      assertValidNewTransfer({
        id: 't',
        debit: accounts.providerClearing('stripe', 'EUR'),
        credit: alice,
        amount: 1,
        code: 'topup',
      });

    // Assert
    expect(check).toThrow(CurrencyMismatchError);
  });
});

describe('Function: amountToPost', () => {
  it('posts the whole reservation when no amount is requested', () => {
    // Act & Assert
    expect(amountToPost(pendingTransfer(), undefined)).toBe(400);
  });

  it.each([[1], [250], [400]])('posts the requested %i when it is within the reservation', (requested) => {
    // Act & Assert
    expect(amountToPost(pendingTransfer(), requested)).toBe(requested);
  });

  it('throws INVALID_AMOUNT when the request exceeds the reservation by one', () => {
    // Act
    const post = () => amountToPost(pendingTransfer(), 401);

    // Assert
    expect(post).toThrow(PostAmountExceedsPendingError);
    expect(post).toThrow(expect.objectContaining({ code: 'INVALID_AMOUNT' }));
  });

  it.each([[0], [-5], [12.5]])('throws INVALID_AMOUNT when the request is %s', (requested) => {
    // Act & Assert
    expect(() => amountToPost(pendingTransfer(), requested)).toThrow(
      expect.objectContaining({ code: 'INVALID_AMOUNT' }),
    );
  });
});

describe('Function: assertResolvable', () => {
  it.each<['post' | 'void']>([['post'], ['void']])('lets an open pending transfer be %s-ed', (resolution) => {
    // Act & Assert
    expect(() => assertResolvable(pendingTransfer(), resolution, NOW)).not.toThrow();
  });

  it.each([['posted'], ['voided'], ['expired']] as const)(
    'throws INVALID_STATE_TRANSITION when the pending transfer is already %s',
    (state) => {
      // Arrange
      const pending = pendingTransfer({ state });

      // Act
      const resolve = () => assertResolvable(pending, 'void', NOW);

      // Assert
      expect(resolve).toThrow(PendingTransferResolvedError);
      expect(resolve).toThrow(
        expect.objectContaining({ code: 'INVALID_STATE_TRANSITION', details: { transferId: 'p1', state } }),
      );
    },
  );

  it('throws NOT_FOUND when the id names a transfer that is not pending', () => {
    // Act
    const resolve = () => assertResolvable(directTransfer(), 'post', NOW);

    // Assert
    expect(resolve).toThrow(PendingTransferNotFoundError);
    expect(resolve).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('refuses to post once the timeout has passed, reporting the transfer as expired', () => {
    // Arrange
    const pending = pendingTransfer({ timeoutAt: '2029-12-31T23:59:59.999Z' });

    // Act
    const post = () => assertResolvable(pending, 'post', NOW);

    // Assert
    expect(post).toThrow(expect.objectContaining({ details: { transferId: 'p1', state: 'expired' } }));
  });

  it('refuses to post exactly at the timeout', () => {
    // Arrange
    const pending = pendingTransfer({ timeoutAt: NOW.toISOString() });

    // Act & Assert
    expect(() => assertResolvable(pending, 'post', NOW)).toThrow(PendingTransferResolvedError);
  });

  it('lets an expired pending transfer be voided', () => {
    // Arrange
    const pending = pendingTransfer({ timeoutAt: '2029-12-31T00:00:00.000Z' });

    // Act & Assert
    expect(() => assertResolvable(pending, 'void', NOW)).not.toThrow();
  });

  it('lets a pending transfer be posted one millisecond before its timeout', () => {
    // Arrange
    const pending = pendingTransfer({ timeoutAt: '2030-01-01T00:00:00.001Z' });

    // Act & Assert
    expect(() => assertResolvable(pending, 'post', NOW)).not.toThrow();
  });
});

describe('Function: sameTransfer', () => {
  const post = {
    type: 'post' as const,
    id: 't1',
    debit: alice,
    credit: bob,
    amount: 300,
    code: 'payment' as const,
  };

  it('recognises a retry of a post with the same accounts, amount and code', () => {
    // Act & Assert
    expect(sameTransfer(directTransfer(), post)).toBe(true);
  });

  it.each([
    ['another amount', { amount: 301 }],
    ['another code', { code: 'refund' as const }],
    ['another debit account', { debit: stripe }],
    ['another credit account', { credit: stripe }],
  ])('treats a post with %s as a reuse of the id', (_label, change) => {
    // Act & Assert
    expect(sameTransfer(directTransfer(), { ...post, ...change })).toBe(false);
  });

  it('treats a pending command as a reuse of the id of a post', () => {
    // Act & Assert
    expect(sameTransfer(directTransfer(), { ...post, type: 'pending' })).toBe(false);
  });

  it('recognises a retry of a pending transfer even when it has since been posted', () => {
    // Arrange
    const existing = pendingTransfer({ state: 'posted', postedAmount: 400 });

    // Act & Assert
    expect(
      sameTransfer(existing, {
        type: 'pending',
        id: 'p1',
        debit: alice,
        credit: bob,
        amount: 400,
        code: 'p2p',
      }),
    ).toBe(true);
  });

  describe('post_pending', () => {
    const resolution = directTransfer({ id: 'r1', type: 'post_pending', pendingId: 'p1', amount: 250 });

    it('recognises a retry with the same pending id and amount', () => {
      // Act & Assert
      expect(sameTransfer(resolution, { type: 'post_pending', id: 'r1', pendingId: 'p1', amount: 250 })).toBe(
        true,
      );
    });

    it('recognises a retry that leaves the amount out', () => {
      // Act & Assert
      expect(sameTransfer(resolution, { type: 'post_pending', id: 'r1', pendingId: 'p1' })).toBe(true);
    });

    it('treats another amount as a reuse of the id', () => {
      // Act & Assert
      expect(sameTransfer(resolution, { type: 'post_pending', id: 'r1', pendingId: 'p1', amount: 251 })).toBe(
        false,
      );
    });

    it('treats another pending id as a reuse of the id', () => {
      // Act & Assert
      expect(sameTransfer(resolution, { type: 'post_pending', id: 'r1', pendingId: 'p2' })).toBe(false);
    });
  });

  describe('void_pending', () => {
    const resolution = directTransfer({ id: 'r1', type: 'void_pending', pendingId: 'p1', amount: 400 });

    it('recognises a retry with the same pending id', () => {
      // Act & Assert
      expect(
        sameTransfer(resolution, { type: 'void_pending', id: 'r1', pendingId: 'p1', reason: 'voided' }),
      ).toBe(true);
    });

    it('treats another pending id as a reuse of the id', () => {
      // Act & Assert
      expect(
        sameTransfer(resolution, { type: 'void_pending', id: 'r1', pendingId: 'p2', reason: 'voided' }),
      ).toBe(false);
    });

    it('treats a post_pending with the id of a void as a reuse of the id', () => {
      // Act & Assert
      expect(sameTransfer(resolution, { type: 'post_pending', id: 'r1', pendingId: 'p1' })).toBe(false);
    });
  });
});

describe('Function: checkLedgerInvariant', () => {
  it('finds no problem in a balanced ledger', () => {
    // Arrange
    const ledger = [
      accountOf(stripe, { debitsPosted: 1000 }),
      accountOf(alice, { creditsPosted: 1000, debitsPending: 400 }),
      accountOf(bob, { creditsPending: 400 }),
    ];

    // Act & Assert
    expect(checkLedgerInvariant(ledger)).toEqual([]);
  });

  it('finds no problem in an empty ledger', () => {
    // Act & Assert
    expect(checkLedgerInvariant([])).toEqual([]);
  });

  it('reports posted debits that do not match posted credits', () => {
    // Arrange
    const ledger = [accountOf(stripe, { debitsPosted: 1000 }), accountOf(alice, { creditsPosted: 999 })];

    // Act
    const problems = checkLedgerInvariant(ledger);

    // Assert
    expect(problems).toEqual(['USD: posted debits 1000 != posted credits 999']);
  });

  it('reports pending debits that do not match pending credits', () => {
    // Arrange
    const ledger = [
      accountOf(stripe, { debitsPosted: 1000 }),
      accountOf(alice, { creditsPosted: 1000, debitsPending: 400 }),
      accountOf(bob, { creditsPending: 300 }),
    ];

    // Act & Assert
    expect(checkLedgerInvariant(ledger)).toEqual(['USD: pending debits 400 != pending credits 300']);
  });

  it('reports a wallet below zero even when the ledger balances', () => {
    // Arrange
    const ledger = [accountOf(alice, { debitsPosted: 100 }), accountOf(bob, { creditsPosted: 100 })];

    // Act & Assert
    expect(checkLedgerInvariant(ledger)).toEqual([`account ${alice.id} is below zero`]);
  });

  it('reports a wallet whose reservations exceed its credits', () => {
    // Arrange
    const ledger = [accountOf(alice, { debitsPending: 100 }), accountOf(bob, { creditsPending: 100 })];

    // Act & Assert
    expect(checkLedgerInvariant(ledger)).toEqual([`account ${alice.id} is below zero`]);
  });

  it('accepts a provider clearing account below zero', () => {
    // Arrange
    const ledger = [accountOf(stripe, { debitsPosted: 100 }), accountOf(alice, { creditsPosted: 100 })];

    // Act & Assert
    expect(checkLedgerInvariant(ledger)).toEqual([]);
  });

  it('reports a negative counter', () => {
    // Arrange
    const ledger = [accountOf(stripe, { debitsPending: -5 }), accountOf(alice, { creditsPending: -5 })];

    // Act
    const problems = checkLedgerInvariant(ledger);

    // Assert
    expect(problems).toEqual([
      `account ${stripe.id} has a negative counter`,
      `account ${alice.id} has a negative counter`,
    ]);
  });
});

describe('Function: available', () => {
  it('returns credits posted less debits posted and pending, ignoring pending credits', () => {
    // Act & Assert
    expect(
      available({ creditsPosted: 1000, debitsPosted: 200, debitsPending: 300, creditsPending: 999 }),
    ).toBe(500);
  });
});

describe('Object: accounts', () => {
  it('builds a wallet account per currency, listed under the wallet', () => {
    // Act
    const usd = accounts.wallet('tw_1', 'USD');
    const eur = accounts.wallet('tw_1', 'EUR');

    // Assert
    expect(usd).toEqual({ id: 'tw_1.USD', kind: 'user_wallet', currency: 'USD', historyOwner: 'tw_1' });
    expect(eur.id).toBe('tw_1.EUR');
    expect(eur.historyOwner).toBe(usd.historyOwner);
  });

  it.each([
    ['app', accounts.app('shop', 'USD'), 'app_shop.USD', 'app'],
    ['giftEscrow', accounts.giftEscrow('g1', 'JPY'), 'escrow_g1.JPY', 'gift_escrow'],
    [
      'providerClearing',
      accounts.providerClearing('stripe', 'EUR'),
      'clearing_stripe.EUR',
      'provider_clearing',
    ],
    ['fees', accounts.fees('KWD'), 'fees.KWD', 'fees'],
  ])('builds the %s account, listed under its own id', (_label, ref, id, kind) => {
    // Assert
    expect(ref).toMatchObject({ id, kind, historyOwner: id });
  });

  it('returns the same id every time for the same purpose', () => {
    // Act & Assert
    expect(accounts.app('shop', 'USD')).toEqual(accounts.app('shop', 'USD'));
    expect(accounts.app('shop', 'USD').id).not.toBe(accounts.app('shop', 'EUR').id);
  });
});

describe('Function: checkLedgerInvariant (per currency)', () => {
  it('reports unmatched legs in different currencies instead of letting them cancel out', () => {
    // Arrange
    const base = { version: 1, debitsPending: 0, creditsPending: 0 };
    const ledger = [
      { ...accounts.providerClearing('stripe', 'USD'), ...base, debitsPosted: 100, creditsPosted: 0 },
      { ...accounts.wallet('tw_a', 'EUR'), ...base, debitsPosted: 0, creditsPosted: 100 },
    ];

    // Act
    const problems = checkLedgerInvariant(ledger);

    // Assert
    expect(problems).toEqual([
      'USD: posted debits 100 != posted credits 0',
      'EUR: posted debits 0 != posted credits 100',
    ]);
  });
});

describe('Function: assertValidNewTransfer (timeoutAt)', () => {
  it('refuses a timeoutAt that is not an ISO 8601 instant', () => {
    // Arrange
    const command = {
      id: 't',
      debit: accounts.wallet('tw_a', 'USD'),
      credit: accounts.wallet('tw_b', 'USD'),
      amount: 1,
      code: 'p2p' as const,
      timeoutAt: 'not-a-date',
    };

    // Act & Assert
    expect(() => assertValidNewTransfer(command)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_ERROR' }),
    );
  });
});
