/**
 * The P2P transfer use cases (shared/app/p2p/transfers.ts) against in-memory fakes of every port: the
 * reservation on initiate, who may decide what, the first decision winning, the lifecycle's wait and the
 * settlement of the reservation, each idempotent.
 */

import { hashStepUpToken } from '../../../../shared/adapters/crypto/step-up-token.js';
import {
  awaitDecision,
  decideTransfer,
  expireTransfer,
  type InitiateCommand,
  initiateTransfer,
  type P2pDeps,
} from '../../../../shared/app/p2p/transfers.js';
import type { Wallet } from '../../../../shared/app/ports.js';
import { accounts, available, checkLedgerInvariant } from '../../../../shared/domain/ledger.js';
import { CurrencyPolicy } from '../../../../shared/domain/money.js';
import { type P2pTransfer, PENDING, p2pTransferIds } from '../../../../shared/domain/p2p.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { sequentialIds } from '../../../support/fakes/ids.js';
import { RecordingP2pLifecycle } from '../../../support/fakes/p2p-lifecycle.js';
import { InMemoryP2pTransfers } from '../../../support/fakes/p2p-transfers.js';
import { StaticRooms } from '../../../support/fakes/rooms.js';
import { InMemoryWallets } from '../../../support/fakes/wallets.js';
import { InMemoryLedger } from '../../../support/in-memory-ledger.js';
import { InMemoryStepUps } from '../mfa/fakes.js';
import { stepUpAboveThresholdCases } from '../step-up-cases.js';

/** MFA_THRESHOLDS as the local stack has them: USD 50.00; EUR 50.00. */
const THRESHOLDS = new Map([
  ['USD', 5_000],
  ['EUR', 5_000],
]);
const SENDER = '@alice:tween.example';
const RECIPIENT = '@bob:tween.example';
const STRANGER = '@mallory:tween.example';
const OUTSIDER = '@eve:tween.example';
const ROOM = '!room:tween.example';
const NOW = '2026-03-01T12:00:00.000Z';
const WINDOW_SECONDS = 600;
const TOKEN = 'task-token-1';
const FUNDS = 10_000;
const AMOUNT = 1_500;

function setup() {
  const clock = fixedClock(NOW);
  const ids = sequentialIds();
  const ledger = new InMemoryLedger(() => clock.now());
  const stepUps = new InMemoryStepUps();
  const wallets = new InMemoryWallets(ids, clock);
  const transfers = new InMemoryP2pTransfers(ledger);
  const lifecycle = new RecordingP2pLifecycle();
  const deps: P2pDeps = {
    transfers,
    wallets,
    ledger,
    rooms: new StaticRooms({ [ROOM]: [SENDER, RECIPIENT, STRANGER] }),
    lifecycle,
    currencies: new CurrencyPolicy(['USD', 'EUR']),
    ids,
    clock,
    windowSeconds: WINDOW_SECONDS,
    stepUp: { thresholds: THRESHOLDS, stepUps, crypto: { hashStepUpToken }, clock },
  };
  const command = (overrides: Partial<InitiateCommand> = {}): InitiateCommand => ({
    senderId: SENDER,
    idempotencyKey: 'key-1',
    recipientId: RECIPIENT,
    amount: AMOUNT,
    currency: 'USD',
    note: 'Lunch',
    roomId: ROOM,
    ...overrides,
  });
  const fund = async (userId = SENDER, amount = FUNDS): Promise<Wallet> => {
    const wallet = await wallets.ensure(userId);
    await ledger.execute({
      type: 'post',
      id: `topup:${wallet.walletId}:${amount}`,
      debit: accounts.providerClearing('stripe', 'USD'),
      credit: accounts.wallet(wallet.walletId, 'USD'),
      amount,
      code: 'topup',
    });
    return wallet;
  };
  const availableTo = async (userId: string): Promise<number> => {
    const wallet = await wallets.find(userId);
    if (wallet === undefined) return 0;
    const account = await ledger.account(accounts.wallet(wallet.walletId, 'USD').id);
    return account === undefined ? 0 : available(account);
  };
  /** A funded sender's pending transfer, its lifecycle waiting on TOKEN. */
  const pending = async (): Promise<P2pTransfer> => {
    await fund();
    const transfer = await initiateTransfer(command(), deps);
    await awaitDecision(transfer.transferId, TOKEN, deps);
    return transfer;
  };
  const stored = (transferId: string): P2pTransfer => {
    const transfer = transfers.peek(transferId);
    if (transfer === undefined) throw new Error(`Transfer ${transferId} is not stored`);
    return transfer;
  };
  return {
    deps,
    stepUps,
    clock,
    ids,
    ledger,
    wallets,
    transfers,
    lifecycle,
    command,
    fund,
    availableTo,
    pending,
    stored,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('Use case: P2P transfers', () => {
  describe('Method: initiateTransfer', () => {
    describe('Step-up above the MFA threshold', () => {
      const world = { setup, payer: SENDER, funds: FUNDS, now: NOW, amountField: 'amount' };
      stepUpAboveThresholdCases(world, (h, request) => initiateTransfer(h.command(request), h.deps));
    });

    it('reserves the amount from the sender and starts the lifecycle, which only waits', async () => {
      // Arrange
      const h = setup();
      await h.fund();
      const transferId = h.ids.derive('p2p_', SENDER, 'key-1');

      // Act
      const transfer = await initiateTransfer(h.command(), h.deps);

      // Assert
      const expiresAt = '2026-03-01T12:10:00.000Z';
      expect(transfer).toMatchObject({
        transferId,
        status: PENDING,
        amount: AMOUNT,
        currency: 'USD',
        sender: { userId: SENDER },
        recipient: { userId: RECIPIENT },
        note: 'Lunch',
        roomId: ROOM,
        expiresAt,
        createdAt: NOW,
      });
      expect(h.stored(transferId)).toEqual(transfer);
      const hold = await h.ledger.transfer(p2pTransferIds.hold(transferId));
      expect(hold).toMatchObject({ type: 'pending', state: 'pending', amount: AMOUNT, code: 'p2p' });
      expect(await h.availableTo(SENDER)).toBe(FUNDS - AMOUNT);
      expect(await h.availableTo(RECIPIENT)).toBe(0);
      expect(h.lifecycle.starts).toEqual([
        {
          transferId,
          input: {
            transferId,
            windowSeconds: WINDOW_SECONDS,
          },
        },
      ]);
      expect(checkLedgerInvariant(h.ledger.allAccounts())).toEqual([]);
    });

    it('fails with NOT_ROOM_MEMBER and reserves nothing when the recipient is not in the room', async () => {
      // Arrange
      const h = setup();
      await h.fund();

      // Act
      const error = await failureOf(initiateTransfer(h.command({ recipientId: OUTSIDER }), h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'NOT_ROOM_MEMBER' });
      expect(await h.availableTo(SENDER)).toBe(FUNDS);
      expect(h.transfers.all()).toEqual([]);
      expect(h.lifecycle.starts).toEqual([]);
    });

    it('fails with NOT_ROOM_MEMBER when the sender is not in the room', async () => {
      // Arrange
      const h = setup();
      await h.fund(OUTSIDER);

      // Act
      const error = await failureOf(initiateTransfer(h.command({ senderId: OUTSIDER }), h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'NOT_ROOM_MEMBER' });
      expect(await h.availableTo(OUTSIDER)).toBe(FUNDS);
      expect(h.transfers.all()).toEqual([]);
    });

    it('fails with VALIDATION_ERROR when the sender pays themself', async () => {
      // Arrange
      const h = setup();
      await h.fund();

      // Act
      const error = await failureOf(initiateTransfer(h.command({ recipientId: SENDER }), h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'VALIDATION_ERROR' });
      expect(await h.availableTo(SENDER)).toBe(FUNDS);
      expect(h.transfers.all()).toEqual([]);
      expect(h.lifecycle.starts).toEqual([]);
    });

    it('fails with INSUFFICIENT_FUNDS and stores nothing when the sender cannot cover the amount', async () => {
      // Arrange
      const h = setup();
      await h.fund(SENDER, AMOUNT - 1);

      // Act
      const error = await failureOf(initiateTransfer(h.command(), h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
      expect(await h.availableTo(SENDER)).toBe(AMOUNT - 1);
      expect(h.transfers.all()).toEqual([]);
      expect(h.lifecycle.starts).toEqual([]);
      expect(checkLedgerInvariant(h.ledger.allAccounts())).toEqual([]);
    });

    it('answers a retry with the same key with the same transfer, one reservation, and starts again', async () => {
      // Arrange
      const h = setup();
      await h.fund();
      const first = await initiateTransfer(h.command(), h.deps);
      h.clock.advance(5_000);

      // Act
      const retry = await initiateTransfer(h.command(), h.deps);

      // Assert
      expect(retry).toEqual(first);
      expect(h.transfers.all()).toHaveLength(1);
      expect(await h.availableTo(SENDER)).toBe(FUNDS - AMOUNT);
      expect(h.lifecycle.starts).toHaveLength(2);
      expect(h.lifecycle.starts[1]).toEqual(h.lifecycle.starts[0]);
      expect(checkLedgerInvariant(h.ledger.allAccounts())).toEqual([]);
    });

    it('makes one transfer and one reservation when the same request arrives twice at once', async () => {
      // Arrange
      const h = setup();
      await h.fund();

      // Act
      const [a, b] = await Promise.all([
        initiateTransfer(h.command(), h.deps),
        initiateTransfer(h.command(), h.deps),
      ]);

      // Assert
      expect(a).toEqual(b);
      expect(h.transfers.all()).toHaveLength(1);
      expect(await h.availableTo(SENDER)).toBe(FUNDS - AMOUNT);
      expect(checkLedgerInvariant(h.ledger.allAccounts())).toEqual([]);
    });
  });

  describe('Method: decideTransfer', () => {
    it('completes the transfer when the recipient accepts and resumes the lifecycle with the token', async () => {
      // Arrange
      const h = setup();
      const { transferId } = await h.pending();

      // Act
      const decided = await decideTransfer(RECIPIENT, transferId, 'accept', h.deps);

      // Assert
      expect(decided).toMatchObject({ status: 'completed', decidedAt: NOW });
      expect(h.stored(transferId).status).toBe('completed');
      expect(h.lifecycle.resumes).toEqual([
        { taskToken: TOKEN, output: { status: 'completed' }, accepted: true },
      ]);
    });

    it('rejects the transfer when the recipient rejects', async () => {
      // Arrange
      const h = setup();
      const { transferId } = await h.pending();

      // Act
      const decided = await decideTransfer(RECIPIENT, transferId, 'reject', h.deps);

      // Assert
      expect(decided.status).toBe('rejected');
      expect(h.lifecycle.resumes).toEqual([
        { taskToken: TOKEN, output: { status: 'rejected' }, accepted: true },
      ]);
    });

    it('cancels the transfer when the sender cancels', async () => {
      // Arrange
      const h = setup();
      const { transferId } = await h.pending();

      // Act
      const decided = await decideTransfer(SENDER, transferId, 'cancel', h.deps);

      // Assert
      expect(decided.status).toBe('cancelled');
      expect(h.lifecycle.resumes).toEqual([
        { taskToken: TOKEN, output: { status: 'cancelled' }, accepted: true },
      ]);
    });

    it('answers NOT_FOUND to someone who is neither sender nor recipient and changes nothing', async () => {
      // Arrange
      const h = setup();
      const { transferId } = await h.pending();

      // Act
      const error = await failureOf(decideTransfer(STRANGER, transferId, 'accept', h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'NOT_FOUND' });
      expect(h.stored(transferId).status).toBe(PENDING);
      expect(h.lifecycle.resumes).toEqual([]);
    });

    it('answers NOT_FOUND for a transfer that does not exist', async () => {
      // Arrange
      const h = setup();

      // Act
      const error = await failureOf(decideTransfer(RECIPIENT, 'p2p_missing', 'accept', h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'NOT_FOUND' });
    });

    it('answers FORBIDDEN when the sender tries to accept', async () => {
      // Arrange
      const h = setup();
      const { transferId } = await h.pending();

      // Act
      const error = await failureOf(decideTransfer(SENDER, transferId, 'accept', h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'FORBIDDEN' });
      expect(h.stored(transferId).status).toBe(PENDING);
    });

    it('answers FORBIDDEN when the recipient tries to cancel', async () => {
      // Arrange
      const h = setup();
      const { transferId } = await h.pending();

      // Act
      const error = await failureOf(decideTransfer(RECIPIENT, transferId, 'cancel', h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'FORBIDDEN' });
      expect(h.stored(transferId).status).toBe(PENDING);
    });

    it('answers a repeated decision with the transfer unchanged and resumes only once', async () => {
      // Arrange
      const h = setup();
      const { transferId } = await h.pending();
      const first = await decideTransfer(RECIPIENT, transferId, 'accept', h.deps);
      h.clock.advance(1_000);

      // Act
      const repeat = await decideTransfer(RECIPIENT, transferId, 'accept', h.deps);

      // Assert
      expect(repeat).toEqual(first);
      expect(h.lifecycle.resumes).toHaveLength(1);
    });

    it('answers INVALID_STATE_TRANSITION (409) to another decision after the first', async () => {
      // Arrange
      const h = setup();
      const { transferId } = await h.pending();
      await decideTransfer(RECIPIENT, transferId, 'accept', h.deps);

      // Act
      const reject = await failureOf(decideTransfer(RECIPIENT, transferId, 'reject', h.deps));
      const cancel = await failureOf(decideTransfer(SENDER, transferId, 'cancel', h.deps));

      // Assert
      expect(reject).toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
      expect(cancel).toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
      expect(h.stored(transferId).status).toBe('completed');
      expect(h.lifecycle.resumes).toHaveLength(1);
    });

    it('answers INVALID_STATE_TRANSITION (409) to a decision once the window has passed', async () => {
      // Arrange
      const h = setup();
      const { transferId } = await h.pending();
      h.clock.advance(WINDOW_SECONDS * 1_000);

      // Act
      const error = await failureOf(decideTransfer(RECIPIENT, transferId, 'accept', h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'INVALID_STATE_TRANSITION', details: { from: 'expired' } });
      expect(h.stored(transferId).status).toBe(PENDING);
      expect(h.lifecycle.resumes).toEqual([]);
    });

    it('lets exactly one of a concurrent accept, reject and cancel win and resumes once with the token', async () => {
      // Arrange
      const h = setup();
      const { transferId } = await h.pending();

      // Act
      const results = await Promise.allSettled([
        decideTransfer(RECIPIENT, transferId, 'accept', h.deps),
        decideTransfer(RECIPIENT, transferId, 'reject', h.deps),
        decideTransfer(SENDER, transferId, 'cancel', h.deps),
      ]);

      // Assert
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(2);
      for (const loser of lost) expect(loser.reason).toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
      const status = h.stored(transferId).status;
      expect(won[0]?.value.status).toBe(status);
      expect(h.lifecycle.resumes).toEqual([{ taskToken: TOKEN, output: { status }, accepted: true }]);
    });
  });

  describe('Method: awaitDecision', () => {
    it('stores the task token on a pending transfer and resumes nothing', async () => {
      // Arrange
      const h = setup();
      await h.fund();
      const { transferId } = await initiateTransfer(h.command(), h.deps);

      // Act
      await awaitDecision(transferId, TOKEN, h.deps);

      // Assert
      expect(h.stored(transferId).taskToken).toBe(TOKEN);
      expect(h.lifecycle.resumes).toEqual([]);
    });

    it('resumes at once with the outcome when the decision came before the wait began', async () => {
      // Arrange
      const h = setup();
      await h.fund();
      const { transferId } = await initiateTransfer(h.command(), h.deps);
      await decideTransfer(RECIPIENT, transferId, 'reject', h.deps);

      // Act
      await awaitDecision(transferId, TOKEN, h.deps);

      // Assert
      expect(h.stored(transferId).taskToken).toBeUndefined();
      expect(h.lifecycle.resumes).toEqual([
        { taskToken: TOKEN, output: { status: 'rejected' }, accepted: true },
      ]);
    });
  });

  describe('Method: expireTransfer', () => {
    it('expires a transfer still pending and voids the reservation back to the sender', async () => {
      // Arrange
      const h = setup();
      const { transferId } = await h.pending();
      h.clock.advance(WINDOW_SECONDS * 1_000);

      // Act
      const result = await expireTransfer(transferId, h.deps);

      // Assert
      expect(result).toEqual({ status: 'expired' });
      expect(h.stored(transferId)).toMatchObject({
        status: 'expired',
        decidedAt: '2026-03-01T12:10:00.000Z',
      });
      expect(await h.ledger.transfer(p2pTransferIds.hold(transferId))).toMatchObject({ state: 'expired' });
      expect(await h.availableTo(SENDER)).toBe(FUNDS);
      expect(checkLedgerInvariant(h.ledger.allAccounts())).toEqual([]);
    });

    it.each([
      ['accept', RECIPIENT, 'completed', FUNDS - AMOUNT, AMOUNT],
      ['reject', RECIPIENT, 'rejected', FUNDS, 0],
      ['cancel', SENDER, 'cancelled', FUNDS, 0],
    ] as const)(
      'leaves a transfer decided by %s (which settled its money itself) as it is',
      async (decision, actor, status, senderFunds, recipientFunds) => {
        // Arrange
        const h = setup();
        const { transferId } = await h.pending();
        await decideTransfer(actor, transferId, decision, h.deps);
        h.clock.advance(WINDOW_SECONDS * 1_000);

        // Act
        const result = await expireTransfer(transferId, h.deps);

        // Assert
        expect(result).toEqual({ status });
        expect(h.stored(transferId)).toMatchObject({ status, decidedAt: NOW });
        expect(await h.availableTo(SENDER)).toBe(senderFunds);
        expect(await h.availableTo(RECIPIENT)).toBe(recipientFunds);
        expect(checkLedgerInvariant(h.ledger.allAccounts())).toEqual([]);
      },
    );

    it('settles an outcome recorded without its money (from before outcomes carried it)', async () => {
      // Arrange
      const h = setup();
      const { transferId } = await h.pending();
      await h.deps.transfers.decide(transferId, 'completed', NOW, NOW);

      // Act
      await expireTransfer(transferId, h.deps);

      // Assert
      expect(await h.ledger.transfer(p2pTransferIds.hold(transferId))).toMatchObject({ state: 'posted' });
      expect(await h.availableTo(RECIPIENT)).toBe(AMOUNT);
      expect(checkLedgerInvariant(h.ledger.allAccounts())).toEqual([]);
    });

    it('has one ledger effect when the expiry runs twice at once', async () => {
      // Arrange
      const h = setup();
      const { transferId } = await h.pending();
      h.clock.advance(WINDOW_SECONDS * 1_000);

      // Act
      const [a, b] = await Promise.all([
        expireTransfer(transferId, h.deps),
        expireTransfer(transferId, h.deps),
      ]);

      // Assert
      expect(a).toEqual(b);
      expect(await h.availableTo(SENDER)).toBe(FUNDS);
      expect(checkLedgerInvariant(h.ledger.allAccounts())).toEqual([]);
    });
  });
});
