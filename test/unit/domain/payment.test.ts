import {
  afterSteps,
  nextState,
  PAYMENT_STATES,
  type Payment,
  type PaymentEvent,
  type PaymentState,
  statusOf,
  TRANSITIONS,
  walletRequestSteps,
} from '../../../shared/domain/payment.js';

/** The protocol's table, written out again on purpose: the code must match the issue, not itself. */
const allowed: [PaymentState, PaymentEvent, PaymentState][] = [
  ['Initiated', 'validate', 'Validating'],
  ['Initiated', 'cancel', 'Failed'],
  ['Validating', 'mfa_required', 'MFA_Required'],
  ['Validating', 'authorized', 'Authorized'],
  ['Validating', 'invalid', 'Failed'],
  ['Validating', 'cancel', 'Failed'],
  ['MFA_Required', 'challenge_sent', 'MFA_Challenge'],
  ['MFA_Required', 'cancel', 'Failed'],
  ['MFA_Challenge', 'cancel', 'Failed'],
  ['MFA_Failed', 'cancel', 'Failed'],
  ['MFA_Verified', 'cancel', 'Failed'],
  ['Authorized', 'cancel', 'Failed'],
  ['MFA_Challenge', 'mfa_verified', 'MFA_Verified'],
  ['MFA_Challenge', 'mfa_failed', 'MFA_Failed'],
  ['MFA_Required', 'max_retries', 'Failed'],
  ['MFA_Challenge', 'max_retries', 'Failed'],
  ['MFA_Failed', 'retry', 'MFA_Challenge'],
  ['MFA_Failed', 'max_retries', 'Failed'],
  ['MFA_Verified', 'authorized', 'Authorized'],
  ['Authorized', 'process', 'Processing'],
  ['Processing', 'completed', 'Completed'],
  ['Processing', 'declined', 'Failed'],
  ['Processing', 'refund', 'Refunded'],
  ['Completed', 'refund', 'Refunded'],
  ['Failed', 'retry', 'Initiated'],
  ['Refunded', 'retry', 'Initiated'],
];

const events: PaymentEvent[] = [
  'validate',
  'cancel',
  'mfa_required',
  'authorized',
  'invalid',
  'challenge_sent',
  'mfa_verified',
  'mfa_failed',
  'max_retries',
  'retry',
  'process',
  'completed',
  'declined',
  'refund',
];

describe('Function: nextState', () => {
  it.each(allowed)('moves %s on %s to %s', (from, event, to) => {
    // Act & Assert
    expect(nextState(from, event)).toBe(to);
  });

  const forbidden = PAYMENT_STATES.flatMap((from) =>
    events
      .filter((event) => !allowed.some(([f, e]) => f === from && e === event))
      .map((event) => [from, event] as [PaymentState, PaymentEvent]),
  );

  it.each(forbidden)('refuses %s on %s with INVALID_STATE_TRANSITION', (from, event) => {
    // Act & Assert
    expect(() => nextState(from, event)).toThrow(
      expect.objectContaining({ code: 'INVALID_STATE_TRANSITION' }),
    );
  });

  it('allows exactly the transitions of the protocol and no more', () => {
    // Act
    const table = Object.entries(TRANSITIONS).flatMap(([from, moves]) =>
      Object.entries(moves).map(([event, to]) => [from, event, to]),
    );

    // Assert
    expect(table.sort()).toEqual([...allowed].sort());
  });
});

describe('Function: statusOf', () => {
  it.each([
    ['Initiated', undefined, 'pending'],
    ['MFA_Required', undefined, 'requires_mfa'],
    ['MFA_Failed', undefined, 'requires_mfa'],
    ['Authorized', undefined, 'processing'],
    ['Completed', undefined, 'completed'],
    ['Failed', 'insufficient_funds', 'failed'],
    ['Failed', 'cancelled', 'cancelled'],
    ['Refunded', undefined, 'refunded'],
  ] as const)('summarises %s (%s) as %s', (state, failureCode, status) => {
    // Act & Assert
    expect(statusOf(state, failureCode)).toBe(status);
  });
});

describe('Function: afterSteps', () => {
  const initiated: Payment = {
    paymentId: 'pay_1',
    userId: '@alice:tween.example',
    appId: 'app_1',
    amount: { value: 1_000, currency: 'USD' },
    paymentMethod: { type: 'wallet' },
    description: 'Coffee',
    metadata: {},
    state: 'Initiated',
    mfaRequired: false,
    refundedAmount: 0,
    history: [{ state: 'Initiated', event: 'created', at: 'T0', actor: '@alice:tween.example' }],
    createdAt: 'T0',
    updatedAt: 'T0',
  };

  it('takes a payment below MFA from Initiated to Completed, recording each step with its actor', () => {
    // Act
    const completed = afterSteps(initiated, walletRequestSteps('@alice:tween.example', 'completed'), 'T1');

    // Assert
    expect(completed.state).toBe('Completed');
    expect(completed.updatedAt).toBe('T1');
    expect(completed.history.slice(1)).toEqual([
      { state: 'Validating', event: 'validate', at: 'T1', actor: '@alice:tween.example' },
      { state: 'Authorized', event: 'authorized', at: 'T1', actor: '@alice:tween.example' },
      { state: 'Processing', event: 'process', at: 'T1', actor: 'system' },
      { state: 'Completed', event: 'completed', at: 'T1', actor: 'system' },
    ]);
  });

  it('refuses a step the protocol does not allow from where the steps before left it', () => {
    // Act & Assert
    expect(() =>
      afterSteps(
        initiated,
        [
          { event: 'validate', actor: 'a' },
          { event: 'completed', actor: 'system' },
        ],
        'T1',
      ),
    ).toThrow(expect.objectContaining({ code: 'INVALID_STATE_TRANSITION' }));
  });
});
