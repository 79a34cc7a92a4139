import * as z from 'zod/mini';
import type { StepUpScope } from '../../../domain/step-up.js';

/**
 * A step-up scope as stored on grants and nonces: `factors` is stored with amount 0 and currency '-', so one
 * condition compares every scope.
 */
export interface StoredScope {
  purpose: 'factors' | 'transfer';
  amount: number;
  currency: string;
}

export const storedScopeShape = {
  purpose: z.enum(['factors', 'transfer']),
  amount: z.number(),
  currency: z.string(),
};

export function scopeAttributes(scope: StepUpScope): StoredScope {
  return scope.purpose === 'factors'
    ? { purpose: 'factors', amount: 0, currency: '-' }
    : { purpose: 'transfer', amount: scope.amount, currency: scope.currency };
}

export function scopeOf(stored: StoredScope): StepUpScope {
  return stored.purpose === 'transfer'
    ? { purpose: 'transfer', amount: stored.amount, currency: stored.currency }
    : { purpose: 'factors' };
}

/** The table's TTL (epoch seconds): a day past the ISO expiry, for support. */
export function stepUpTtl(expiresAt: string): number {
  return Math.floor(Date.parse(expiresAt) / 1000) + 86_400;
}
