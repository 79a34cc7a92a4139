/**
 * The group gift rules (shared/domain/gift.ts) that are not about splitting: the lifetime a creator may ask
 * for, when a gift can be opened, which share the next opener gets, what goes back at expiry, who may read
 * a gift and how its leaderboard ranks the openings. Pure: no fakes.
 */
import {
  AlreadyOpenedError,
  assertOpenable,
  DEFAULT_LIFETIME_SECONDS,
  type Gift,
  GiftEmptyError,
  GiftExpiredError,
  type GiftOpening,
  giftTransferIds,
  leaderboard,
  lifetimeSeconds,
  MAX_LIFETIME_SECONDS,
  mayRead,
  nextShare,
  unopenedAmount,
} from '../../../shared/domain/gift.js';

const CREATOR = '@alice:tween.example';
const MEMBER = '@bob:tween.example';
const OTHER_MEMBER = '@carol:tween.example';
const STRANGER = '@mallory:tween.example';
const ROOM = '!room:tween.example';
const CREATED_AT = '2026-03-01T12:00:00.000Z';
const EXPIRES_AT = '2026-03-02T12:00:00.000Z';
const BEFORE_EXPIRY = new Date('2026-03-02T11:59:59.999Z');
const AWS_MIN_SECONDS = 60;

function gift(overrides: Partial<Gift> = {}): Gift {
  return {
    giftId: 'gift_1',
    status: 'active',
    totalAmount: 1_000,
    currency: 'USD',
    count: 4,
    remaining: 4,
    claimed: [],
    distribution: 'random',
    shares: [400, 300, 200, 100],
    message: 'Happy new year',
    creator: { userId: CREATOR, walletId: 'tw_1' },
    roomId: ROOM,
    expiresAt: EXPIRES_AT,
    createdAt: CREATED_AT,
    ...overrides,
  };
}

function opening(userId: string, amount: number, openedAt: string, share: number): GiftOpening {
  return { userId, amount, openedAt, share };
}

function failureOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('Function: lifetimeSeconds', () => {
  it('returns 24 hours when no lifetime is asked for', () => {
    // Act
    const seconds = lifetimeSeconds(undefined, AWS_MIN_SECONDS);

    // Assert
    expect(seconds).toBe(86_400);
    expect(DEFAULT_LIFETIME_SECONDS).toBe(86_400);
  });

  it.each([
    ['the minimum', AWS_MIN_SECONDS],
    ['an hour', 3_600],
    ['a week, the maximum', 604_800],
  ])('returns the lifetime asked for when it is %s', (_label, requested) => {
    // Act
    const seconds = lifetimeSeconds(requested, AWS_MIN_SECONDS);

    // Assert
    expect(seconds).toBe(requested);
  });

  it.each([
    ['one second below the minimum', AWS_MIN_SECONDS - 1],
    ['zero', 0],
    ['negative', -60],
    ['one second above a week', MAX_LIFETIME_SECONDS + 1],
    ['not an integer', 90.5],
    ['NaN', Number.NaN],
  ])('throws VALIDATION_ERROR on expires_in_seconds when it is %s', (_label, requested) => {
    // Act
    const error = failureOf(() => lifetimeSeconds(requested, AWS_MIN_SECONDS));

    // Assert
    expect(error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { issues: [{ path: 'expires_in_seconds', message: 'must be from 60 to 604800' }] },
    });
  });

  it('accepts lifetimes down to minSeconds when a local stack lowers it', () => {
    // Act
    const seconds = lifetimeSeconds(2, 2);
    const error = failureOf(() => lifetimeSeconds(1, 2));

    // Assert
    expect(seconds).toBe(2);
    expect(error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { issues: [{ path: 'expires_in_seconds', message: 'must be from 2 to 604800' }] },
    });
  });

  it('still defaults to 24 hours when minSeconds is lowered', () => {
    // Act
    const seconds = lifetimeSeconds(undefined, 2);

    // Assert
    expect(seconds).toBe(DEFAULT_LIFETIME_SECONDS);
  });
});

describe('Function: assertOpenable', () => {
  it('accepts an active gift with shares left before its expiry', () => {
    // Act & Assert
    expect(() => assertOpenable(gift(), BEFORE_EXPIRY)).not.toThrow();
    expect(() => assertOpenable(gift({ remaining: 1 }), BEFORE_EXPIRY)).not.toThrow();
  });

  it('throws GiftExpiredError (INVALID_STATE_TRANSITION) when the gift is expired', () => {
    // Act
    const error = failureOf(() => assertOpenable(gift({ status: 'expired' }), BEFORE_EXPIRY));

    // Assert
    expect(error).toBeInstanceOf(GiftExpiredError);
    expect(error).toMatchObject({
      code: 'INVALID_STATE_TRANSITION',
      details: { from: 'expired', event: 'open' },
    });
  });

  it.each([
    ['at', new Date(EXPIRES_AT)],
    ['after', new Date('2026-03-02T12:00:00.001Z')],
  ])('throws GiftExpiredError when an active gift is opened %s its expiry', (_when, now) => {
    // Act
    const error = failureOf(() => assertOpenable(gift(), now));

    // Assert
    expect(error).toBeInstanceOf(GiftExpiredError);
    expect(error).toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
  });

  it.each([
    ['fully opened', gift({ status: 'fully_opened', remaining: 0 })],
    ['active with no share left', gift({ remaining: 0 })],
    ['fully opened (status alone)', gift({ status: 'fully_opened', remaining: 1 })],
  ])('throws GiftEmptyError (GIFT_EMPTY) when the gift is %s', (_label, emptied) => {
    // Act
    const error = failureOf(() => assertOpenable(emptied, BEFORE_EXPIRY));

    // Assert
    expect(error).toBeInstanceOf(GiftEmptyError);
    expect(error).toMatchObject({ code: 'GIFT_EMPTY' });
  });

  it('reports a fully opened gift past its expiry as empty, since nothing of it expired', () => {
    // Act
    const error = failureOf(() =>
      assertOpenable(gift({ status: 'fully_opened', remaining: 0 }), new Date('2100-01-01T00:00:00Z')),
    );

    // Assert
    expect(error).toBeInstanceOf(GiftEmptyError);
  });
});

describe('Function: nextShare', () => {
  it('returns the free share the random source points at, among the free ones in order', () => {
    // Arrange
    const claimedTwo = gift({ remaining: 2, claimed: [0, 2] });

    // Act
    const first = nextShare(claimedTwo, (min) => min);
    const last = nextShare(claimedTwo, (_min, max) => max);

    // Assert
    expect(first).toEqual({ share: 1, amount: 300 });
    expect(last).toEqual({ share: 3, amount: 100 });
  });

  it('asks the random source for an index among the free shares only', () => {
    // Arrange
    const asked: [number, number][] = [];

    // Act
    nextShare(gift({ remaining: 3, claimed: [1] }), (min, max) => {
      asked.push([min, max]);
      return min;
    });

    // Assert
    expect(asked).toEqual([[0, 2]]);
  });

  it('returns the last free share without asking the random source', () => {
    // Act
    const next = nextShare(gift({ remaining: 1, claimed: [0, 1, 3] }), () => {
      throw new Error('not asked');
    });

    // Assert
    expect(next).toEqual({ share: 2, amount: 200 });
  });

  it('throws GiftEmptyError when every share is claimed', () => {
    // Act
    const error = failureOf(() => nextShare(gift({ remaining: 0, claimed: [0, 1, 2, 3] }), (min) => min));

    // Assert
    expect(error).toBeInstanceOf(GiftEmptyError);
  });
});

describe('Function: unopenedAmount', () => {
  it.each([
    [[], 1_000],
    [[0, 1], 300],
    [[1, 3], 600],
    [[0, 1, 2, 3], 0],
  ])('returns the sum of the shares nobody claimed (claimed %j)', (claimed, expected) => {
    // Act
    const amount = unopenedAmount(gift({ remaining: 4 - claimed.length, claimed }));

    // Assert
    expect(amount).toBe(expected);
  });
});

describe('Function: mayRead', () => {
  it('lets a member of the room read the gift', () => {
    // Act & Assert
    expect(mayRead(gift(), MEMBER, new Set([CREATOR, MEMBER]))).toBe(true);
  });

  it('lets the creator read the gift after leaving the room', () => {
    // Act & Assert
    expect(mayRead(gift(), CREATOR, new Set([MEMBER]))).toBe(true);
  });

  it('refuses anyone else', () => {
    // Act & Assert
    expect(mayRead(gift(), STRANGER, new Set([CREATOR, MEMBER]))).toBe(false);
  });
});

describe('Function: leaderboard', () => {
  const openings = [
    opening(MEMBER, 200, '2026-03-01T12:00:03.000Z', 2),
    opening(CREATOR, 400, '2026-03-01T12:00:01.000Z', 0),
    opening(OTHER_MEMBER, 300, '2026-03-01T12:00:02.000Z', 1),
  ];

  it('ranks the largest share first and marks nobody luckiest while shares remain', () => {
    // Act
    const board = leaderboard(gift({ remaining: 1 }), openings);

    // Assert
    expect(board).toEqual([
      { rank: 1, userId: CREATOR, amount: 400, openedAt: '2026-03-01T12:00:01.000Z', luckiest: false },
      { rank: 2, userId: OTHER_MEMBER, amount: 300, openedAt: '2026-03-01T12:00:02.000Z', luckiest: false },
      { rank: 3, userId: MEMBER, amount: 200, openedAt: '2026-03-01T12:00:03.000Z', luckiest: false },
    ]);
  });

  it.each([
    ['fully opened', gift({ status: 'fully_opened', remaining: 0 })],
    ['expired with shares unopened', gift({ status: 'expired', remaining: 1 })],
    ['active with no share left', gift({ remaining: 0 })],
  ])('marks only rank 1 luckiest once the gift is settled (%s)', (_label, settled) => {
    // Act
    const board = leaderboard(settled, openings);

    // Assert
    expect(board.map((entry) => [entry.rank, entry.userId, entry.luckiest])).toEqual([
      [1, CREATOR, true],
      [2, OTHER_MEMBER, false],
      [3, MEMBER, false],
    ]);
  });

  it('ranks equal amounts by who opened first, then by share', () => {
    // Arrange
    const tied = [
      opening(OTHER_MEMBER, 250, '2026-03-01T12:00:02.000Z', 1),
      opening(STRANGER, 250, '2026-03-01T12:00:02.000Z', 2),
      opening(MEMBER, 250, '2026-03-01T12:00:01.000Z', 0),
      opening(CREATOR, 250, '2026-03-01T12:00:03.000Z', 3),
    ];
    const equal = gift({ status: 'fully_opened', remaining: 0, shares: [250, 250, 250, 250] });

    // Act
    const board = leaderboard(equal, tied);

    // Assert
    expect(board.map((entry) => [entry.rank, entry.userId, entry.luckiest])).toEqual([
      [1, MEMBER, true],
      [2, OTHER_MEMBER, false],
      [3, STRANGER, false],
      [4, CREATOR, false],
    ]);
  });

  it('leaves the openings it is given in their order', () => {
    // Arrange
    const given = [...openings];

    // Act
    leaderboard(gift(), given);

    // Assert
    expect(given).toEqual(openings);
  });

  it('returns an empty board when nobody opened the gift', () => {
    // Act & Assert
    expect(leaderboard(gift({ status: 'expired' }), [])).toEqual([]);
  });
});

describe('Errors and transfer ids', () => {
  it('gives each gift error its code and name', () => {
    // Act
    const errors = [new AlreadyOpenedError(), new GiftEmptyError(), new GiftExpiredError()];

    // Assert
    expect(errors.map((error) => [error.name, error.code])).toEqual([
      ['AlreadyOpenedError', 'ALREADY_OPENED'],
      ['GiftEmptyError', 'GIFT_EMPTY'],
      ['GiftExpiredError', 'INVALID_STATE_TRANSITION'],
    ]);
  });

  it('derives one ledger transfer id per funding, share and refund of a gift', () => {
    // Act
    const ids = [
      giftTransferIds.fund('gift_1'),
      giftTransferIds.share('gift_1', 3),
      giftTransferIds.refund('gift_1'),
    ];

    // Assert
    expect(ids).toEqual(['gift:gift_1:fund', 'gift:gift_1:share:3', 'gift:gift_1:refund']);
  });
});
