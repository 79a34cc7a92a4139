import { accountOf } from '../../../shared/adapters/dynamodb/entities/ledger-account.js';
import { historyEntryOf } from '../../../shared/adapters/dynamodb/entities/ledger-history.js';
import {
  LedgerTransferEntity,
  toStoredTransfer,
  transferOf,
} from '../../../shared/adapters/dynamodb/entities/ledger-transfer.js';
import { PaymentEntity } from '../../../shared/adapters/dynamodb/entities/payment.js';
import { savedCardEntity } from '../../../shared/adapters/dynamodb/entities/saved-card.js';
import { MalformedItemError } from '../../../shared/adapters/dynamodb/entity.js';
import type { Transfer } from '../../../shared/domain/ledger.js';
import type { Payment } from '../../../shared/domain/payment.js';

const AT = '2026-03-01T12:00:00.000Z';

/** A payment with every optional field set: a schema that forgot one would drop it on read. */
const payment: Required<Payment> = {
  paymentId: 'pay_1',
  userId: 'user_alice',
  appId: 'app_1',
  amount: { value: 1_500, currency: 'USD' },
  paymentMethod: { type: 'card', id: 'pm_1' },
  description: 'Coffee',
  metadata: { order: '42' },
  roomId: '!room:tween.example',
  state: 'Processing',
  mfaRequired: true,
  mfaMethod: 'pin',
  refundedAmount: 0,
  failureCode: 'none',
  history: [{ state: 'Initiated', event: 'created', at: AT, actor: 'user_alice' }],
  createdAt: AT,
  updatedAt: AT,
  completedAt: AT,
  holdTransferId: 'payment:pay_1:hold',
  walletId: 'tw_alice',
  refundSettledAmount: 0,
  providerPaymentId: 'pi_1',
  customerId: 'cus_1',
  cardId: 'pm_2',
  nextActionUrl: 'https://pay.example/3ds',
  taskToken: 'token',
  activeChallengeId: 'ch_1',
  merchantId: 'mch_1',
  fees: { platform: 123, processing: 74 },
};

describe('Entity: Payment', () => {
  it('reads back every field it wrote, without the worklist keys a transition added', () => {
    // Arrange
    const item = { ...PaymentEntity.toItem(payment), GSI2PK: 'PROVIDERWAIT#payment', GSI2SK: `${AT}#pay_1` };

    // Act
    const read = PaymentEntity.fromItem(item);

    // Assert
    expect(item).toMatchObject({ PK: 'PAYMENT#pay_1', GSI1PK: 'PAYMENTS#user_alice', type: 'Payment' });
    expect(read).toEqual(payment);
  });

  it('refuses a stored payment in a state the protocol does not have', () => {
    const item = { ...PaymentEntity.toItem(payment), state: 'Paid' };

    expect(() => PaymentEntity.fromItem(item)).toThrow(MalformedItemError);
  });
});

describe('Entity: LedgerTransfer', () => {
  it("keeps the transfer's own type as transferType and reads it back, without resolvedBy", () => {
    // Arrange
    const transfer: Transfer = {
      id: 'payment:pay_1:hold',
      type: 'pending',
      debitAccountId: 'wallet:tw_alice:USD',
      creditAccountId: 'app:app_1:USD',
      amount: 1_500,
      currency: 'USD',
      code: 'payment',
      createdAt: AT,
      metadata: {},
      state: 'posted',
      postedAmount: 1_000,
    };
    const item = {
      ...LedgerTransferEntity.toItem(toStoredTransfer(transfer)),
      resolvedBy: 'payment:pay_1:capture',
    };

    // Act
    const read = transferOf(item);

    // Assert
    expect(item).toMatchObject({ type: 'LedgerTransfer', transferType: 'pending', version: 1 });
    expect(read).toEqual(transfer);
  });
});

describe('Entity: LedgerAccount', () => {
  it('takes the id from the key and the version from the item, and leaves out `available`', () => {
    const item = {
      PK: 'ACCOUNT#wallet:tw_alice:USD',
      SK: 'ACCOUNT',
      type: 'LedgerAccount',
      kind: 'user_wallet',
      currency: 'USD',
      historyOwner: 'tw_alice',
      creditsPosted: 500,
      debitsPending: 200,
      available: 300,
      version: 3,
    };

    expect(accountOf(item)).toEqual({
      id: 'wallet:tw_alice:USD',
      kind: 'user_wallet',
      currency: 'USD',
      historyOwner: 'tw_alice',
      debitsPosted: 0,
      creditsPosted: 500,
      debitsPending: 200,
      creditsPending: 0,
      version: 3,
    });
  });
});

describe('Entity: LedgerHistory', () => {
  it('shows the amount posted on a posted pending entry', () => {
    const item = {
      PK: 'HISTORY#tw_alice',
      SK: `${AT}#payment:pay_1:hold#debit`,
      type: 'LedgerHistory',
      transferId: 'payment:pay_1:hold',
      accountId: 'wallet:tw_alice:USD',
      currency: 'USD',
      direction: 'debit',
      amount: 1_500,
      code: 'payment',
      status: 'posted',
      counterpartyAccountId: 'app:app_1:USD',
      createdAt: AT,
      metadata: {},
      postedAmount: 1_000,
    };

    expect(historyEntryOf(item)).toMatchObject({ amount: 1_000, status: 'posted' });
    expect(historyEntryOf(item)).not.toHaveProperty('postedAmount');
  });
});

describe('Entity: SavedCard', () => {
  it('keys a card by its fingerprint, or by its face when the provider gives none', () => {
    const card = { id: 'pm_1', brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030, lastUsedAt: AT };
    const cards = savedCardEntity('user_alice');

    expect(cards.key({ ...card, fingerprint: 'fp_1' })).toEqual({ PK: 'USER#user_alice', SK: 'CARD#fp_1' });
    expect(cards.key(card)).toEqual({ PK: 'USER#user_alice', SK: 'CARD#visa-4242-12-2030' });
  });
});
