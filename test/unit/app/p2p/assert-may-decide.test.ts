/** Who may decide what on a P2P transfer, and when (shared/domain/p2p.ts `assertMayDecide`): pure. */
import { assertMayDecide, type P2pStatus, type P2pTransfer, PENDING } from '../../../../shared/domain/p2p.js';

const SENDER = '@alice:tween.example';
const RECIPIENT = '@bob:tween.example';
const STRANGER = '@mallory:tween.example';
const NOW = new Date('2026-03-01T12:00:00.000Z');

function transfer(status: P2pStatus = PENDING, expiresAt = '2026-03-01T12:10:00.000Z'): P2pTransfer {
  return {
    transferId: 'p2p_1',
    status,
    amount: 1_500,
    currency: 'USD',
    sender: { userId: SENDER, walletId: 'tw_1' },
    recipient: { userId: RECIPIENT, walletId: 'tw_2' },
    note: null,
    roomId: '!room:tween.example',
    expiresAt,
    createdAt: '2026-03-01T12:00:00.000Z',
  };
}

function failureOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('Function: assertMayDecide', () => {
  it.each([
    [RECIPIENT, 'accept'],
    [RECIPIENT, 'reject'],
    [SENDER, 'cancel'],
  ] as const)('returns false when %s may %s a pending transfer in time', (actor, decision) => {
    // Act
    const already = assertMayDecide(transfer(), actor, decision, NOW);

    // Assert
    expect(already).toBe(false);
  });

  it.each(['accept', 'reject', 'cancel'] as const)(
    'throws NOT_FOUND when a stranger tries to %s',
    (decision) => {
      // Act
      const error = failureOf(() => assertMayDecide(transfer(), STRANGER, decision, NOW));

      // Assert
      expect(error).toMatchObject({ code: 'NOT_FOUND' });
    },
  );

  it.each([
    [SENDER, 'accept'],
    [SENDER, 'reject'],
    [RECIPIENT, 'cancel'],
  ] as const)('throws FORBIDDEN when %s tries to %s', (actor, decision) => {
    // Act
    const error = failureOf(() => assertMayDecide(transfer(), actor, decision, NOW));

    // Assert
    expect(error).toMatchObject({ code: 'FORBIDDEN' });
  });

  it.each([
    ['completed', RECIPIENT, 'accept'],
    ['rejected', RECIPIENT, 'reject'],
    ['cancelled', SENDER, 'cancel'],
  ] as const)(
    'returns true when the transfer is already %s by the same decision',
    (status, actor, decision) => {
      // Act
      const already = assertMayDecide(transfer(status), actor, decision, NOW);

      // Assert
      expect(already).toBe(true);
    },
  );

  it.each([
    ['completed', RECIPIENT, 'reject'],
    ['rejected', RECIPIENT, 'accept'],
    ['cancelled', RECIPIENT, 'accept'],
    ['expired', SENDER, 'cancel'],
  ] as const)('throws INVALID_STATE_TRANSITION from %s when %s tries to %s', (status, actor, decision) => {
    // Act
    const error = failureOf(() => assertMayDecide(transfer(status), actor, decision, NOW));

    // Assert
    expect(error).toMatchObject({
      code: 'INVALID_STATE_TRANSITION',
      details: { from: status, event: decision },
    });
  });

  it('throws INVALID_STATE_TRANSITION from expired when a pending transfer is at its expiry', () => {
    // Act
    const error = failureOf(() =>
      assertMayDecide(transfer(PENDING, NOW.toISOString()), RECIPIENT, 'accept', NOW),
    );

    // Assert
    expect(error).toMatchObject({
      code: 'INVALID_STATE_TRANSITION',
      details: { from: 'expired', event: 'accept' },
    });
  });

  it('checks the actor before the state: a stranger sees NOT_FOUND even on a settled transfer', () => {
    // Act
    const error = failureOf(() => assertMayDecide(transfer('completed'), STRANGER, 'accept', NOW));

    // Assert
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
  });
});
