/**
 * The event-type table: each handled type has one row, so how it is treated is read in one place.
 */
import {
  CHARGE_EVENT_TYPES,
  DISPUTE_EVENT_TYPES,
  HANDLED_EVENT_TYPES,
  PAYMENT_EVENT_TYPES,
  PAYOUT_EVENT_TYPES,
  REFUND_EVENT_TYPES,
} from '../../../../shared/app/webhooks/event-types.js';

const TABLE: Readonly<Record<string, ReadonlySet<string>>> = {
  payment: PAYMENT_EVENT_TYPES,
  charge: CHARGE_EVENT_TYPES,
  refund: REFUND_EVENT_TYPES,
  dispute: DISPUTE_EVENT_TYPES,
  payout: PAYOUT_EVENT_TYPES,
};

describe('webhook event types', () => {
  it('lists each type in one set only', () => {
    const homes = new Map<string, string[]>();
    for (const [name, types] of Object.entries(TABLE)) {
      for (const type of types) homes.set(type, [...(homes.get(type) ?? []), name]);
    }
    const twice = [...homes].filter(([, names]) => names.length > 1);
    expect(twice).toEqual([]);
  });

  it('handles exactly the types of the sets', () => {
    const all = new Set(Object.values(TABLE).flatMap((types) => [...types]));
    expect([...HANDLED_EVENT_TYPES].sort()).toEqual([...all].sort());
  });

  it('treats a created dispute as a dispute', () => {
    expect(DISPUTE_EVENT_TYPES.has('charge.dispute.created')).toBe(true);
    expect(HANDLED_EVENT_TYPES.has('charge.dispute.created')).toBe(true);
  });
});
