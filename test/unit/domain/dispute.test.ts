import {
  disputeTransferIds,
  freezableAmount,
  nextStatus,
  PROVIDER_DISPUTE_STATUSES,
  statusOf,
} from '../../../shared/domain/dispute.js';
import { InvalidStateTransitionError } from '../../../shared/domain/errors.js';

describe('Domain: dispute', () => {
  describe('Function: statusOf', () => {
    it.each([
      ['warning_needs_response', 'open'],
      ['warning_under_review', 'open'],
      ['needs_response', 'open'],
      ['under_review', 'open'],
      ['won', 'won'],
      ['warning_closed', 'won'],
      ['prevented', 'won'],
      ['lost', 'lost'],
    ] as const)('reads the provider status %s as %s', (providerStatus, status) => {
      // Act & Assert
      expect(statusOf(providerStatus)).toBe(status);
    });

    it('knows every provider status', () => {
      // Assert
      expect(PROVIDER_DISPUTE_STATUSES).toHaveLength(8);
    });
  });

  describe('Function: nextStatus', () => {
    it.each([
      ['open', 'won', 'won'],
      ['open', 'lost', 'lost'],
    ] as const)('moves %s forward to %s', (current, reported, next) => {
      // Act & Assert
      expect(nextStatus(current, reported)).toBe(next);
    });

    it.each([
      ['open', 'open'],
      ['won', 'open'],
      ['lost', 'open'],
      ['won', 'won'],
      ['lost', 'lost'],
    ] as const)(
      'changes nothing on %s when %s is reported (a duplicate or a late report)',
      (current, reported) => {
        // Act & Assert
        expect(nextStatus(current, reported)).toBeUndefined();
      },
    );

    it.each([
      ['won', 'lost'],
      ['lost', 'won'],
    ] as const)('refuses a %s dispute reported %s: a contradiction for ops', (current, reported) => {
      // Act & Assert
      expect(() => nextStatus(current, reported)).toThrow(InvalidStateTransitionError);
    });
  });

  describe('Function: freezableAmount', () => {
    it('freezes all of the disputed amount when the wallet holds it', () => {
      expect(freezableAmount(1_500, 4_000)).toBe(1_500);
    });

    it('freezes only what the wallet holds when the payer spent some of it', () => {
      expect(freezableAmount(1_500, 600)).toBe(600);
    });

    it('freezes nothing from an empty wallet, and never goes below zero', () => {
      expect(freezableAmount(1_500, 0)).toBe(0);
      expect(freezableAmount(1_500, -10)).toBe(0);
    });
  });

  describe('Function: disputeTransferIds', () => {
    it('derives the same transfer ids for the same dispute, every time', () => {
      expect(disputeTransferIds('dp_1')).toEqual(disputeTransferIds('dp_1'));
      expect(disputeTransferIds('dp_1').freeze).not.toBe(disputeTransferIds('dp_1').close);
    });
  });
});
