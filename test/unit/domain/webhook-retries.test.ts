/**
 * The webhook retry schedule and the 5-day rule (shared/domain/webhook-retries.ts).
 */
import fc from 'fast-check';
import type { WebhookEndpoint } from '../../../shared/domain/webhook-events.js';
import {
  DEFAULT_WEBHOOK_DISABLE_AFTER_SECONDS,
  DEFAULT_WEBHOOK_RETRY_SCHEDULE,
  isAcknowledged,
  maxAttempts,
  nextAttemptAt,
  parseRetrySchedule,
  shouldDisable,
} from '../../../shared/domain/webhook-retries.js';

const endpoint = (overrides: Partial<WebhookEndpoint> = {}): WebhookEndpoint => ({
  id: 'we_1',
  merchantId: 'mch_1',
  mode: 'test',
  url: 'https://hooks.example.com/',
  enabledEvents: ['*'],
  status: 'enabled',
  created: 0,
  ...overrides,
});

describe('Module: webhook-retries', () => {
  describe('Function: parseRetrySchedule', () => {
    it('reads the default as API.md states it: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
      expect(parseRetrySchedule(DEFAULT_WEBHOOK_RETRY_SCHEDULE)).toEqual([
        5, 300, 1_800, 7_200, 18_000, 36_000, 36_000,
      ]);
      expect(maxAttempts(parseRetrySchedule(DEFAULT_WEBHOOK_RETRY_SCHEDULE))).toBe(8);
    });

    it('takes spaces and zero waits, and an empty schedule (one attempt, never retried)', () => {
      expect(parseRetrySchedule(' 1, 0 ,2 ')).toEqual([1, 0, 2]);
      expect(parseRetrySchedule('')).toEqual([]);
      expect(maxAttempts([])).toBe(1);
    });

    it.each(['1,,2', '-1', '1.5', 'abc', '1;2', '99999999', '0x10'])(
      'refuses %p, naming the setting',
      (text) => {
        expect(() => parseRetrySchedule(text)).toThrow(/WEBHOOK_RETRY_SCHEDULE/);
      },
    );
  });

  describe('Function: nextAttemptAt', () => {
    const schedule = parseRetrySchedule(DEFAULT_WEBHOOK_RETRY_SCHEDULE);
    const at = new Date('2026-12-07T10:00:00.000Z');

    it('puts each retry its wait after the attempt that failed', () => {
      expect(nextAttemptAt(schedule, 1, at)?.toISOString()).toBe('2026-12-07T10:00:05.000Z');
      expect(nextAttemptAt(schedule, 2, at)?.toISOString()).toBe('2026-12-07T10:05:00.000Z');
      expect(nextAttemptAt(schedule, 7, at)?.toISOString()).toBe('2026-12-07T20:00:00.000Z');
    });

    it('has no next attempt once the schedule is spent (the delivery has failed), nor before any', () => {
      expect(nextAttemptAt(schedule, 8, at)).toBeUndefined();
      expect(nextAttemptAt(schedule, 12, at)).toBeUndefined();
      expect(nextAttemptAt(schedule, 0, at)).toBeUndefined();
    });

    it('gives every schedule exactly its length of retries, each after the one before', () => {
      fc.assert(
        fc.property(fc.array(fc.nat({ max: 100_000 }), { maxLength: 12 }), (waits) => {
          const due = Array.from({ length: waits.length + 3 }, (_, index) =>
            nextAttemptAt(waits, index + 1, at),
          );
          expect(due.filter((date) => date !== undefined)).toHaveLength(waits.length);
          due.forEach((date, index) => {
            if (date !== undefined) expect(date.getTime() - at.getTime()).toBe((waits[index] ?? 0) * 1_000);
          });
        }),
      );
    });
  });

  describe('Function: isAcknowledged', () => {
    it.each([
      [200, true],
      [204, true],
      [299, true],
      [199, false],
      [301, false],
      [307, false],
      [400, false],
      [500, false],
      [undefined, false],
    ])('%p → %p', (status, acknowledged) => {
      expect(isAcknowledged(status)).toBe(acknowledged);
    });
  });

  describe('Function: shouldDisable', () => {
    const now = new Date('2026-12-07T10:00:00.000Z');
    const fiveDays = DEFAULT_WEBHOOK_DISABLE_AFTER_SECONDS;

    it('disables an endpoint that has been failing for 5 days', () => {
      expect(shouldDisable(endpoint({ failingSince: '2026-12-02T10:00:00.000Z' }), now, fiveDays)).toBe(true);
      expect(shouldDisable(endpoint({ failingSince: '2026-11-01T00:00:00.000Z' }), now, fiveDays)).toBe(true);
    });

    it('keeps one failing for less, a healthy one, and one already disabled', () => {
      expect(shouldDisable(endpoint({ failingSince: '2026-12-02T10:00:01.000Z' }), now, fiveDays)).toBe(
        false,
      );
      expect(shouldDisable(endpoint(), now, fiveDays)).toBe(false);
      expect(
        shouldDisable(
          endpoint({ status: 'disabled', failingSince: '2026-11-01T00:00:00.000Z' }),
          now,
          fiveDays,
        ),
      ).toBe(false);
    });

    it('follows a shortened setting (the local stack tests the rule in seconds)', () => {
      expect(shouldDisable(endpoint({ failingSince: '2026-12-07T09:59:58.000Z' }), now, 2)).toBe(true);
      expect(shouldDisable(endpoint({ failingSince: '2026-12-07T09:59:59.000Z' }), now, 2)).toBe(false);
    });
  });
});
