/**
 * A provider's circuit breaker (`BREAKER#<provider>`): its consecutive failures and, while open, since when.
 * The item is only ever upserted (an UpdateItem creates it), so the breaker's name lives in its key alone and
 * an item opened before any failure was counted has no `failures`: it reads as 0.
 */
import * as z from 'zod/mini';
import type { BreakerState } from '../../../domain/circuit-breaker.js';
import { defineEntity, type Entity } from '../entity.js';
import { breakerKey } from '../keys.js';
import { exactSchemaOf } from './exact.js';

const schema = exactSchemaOf<BreakerState>()(
  z.object({ failures: z._default(z.number(), 0), openedAt: z.exactOptional(z.number()) }),
);

export function circuitBreakerEntity(breaker: string): Entity<BreakerState> {
  return defineEntity<BreakerState>({ type: 'CircuitBreaker', schema, key: () => breakerKey(breaker) });
}
