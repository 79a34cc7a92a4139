/**
 * A caller's request counter for one limited route and one fixed window (`RATELIMIT#<user>`,
 * `<route>#<window start>`). It is only ever upserted by a conditional ADD, so who, which route and which
 * window live in its key alone; the table's TTL (`expiresAt`) removes it after the window.
 */
import * as z from 'zod/mini';
import { defineEntity, type Entity } from '../entity.js';
import { rateLimitKey } from '../keys.js';
import { exactSchemaOf } from './exact.js';

export interface RateLimitWindow {
  /** Requests taken in the window. */
  count: number;
}

const schema = exactSchemaOf<RateLimitWindow>()(z.object({ count: z.number() }));

export function rateLimitWindowEntity(
  subject: string,
  operation: string,
  windowStart: number,
): Entity<RateLimitWindow> {
  return defineEntity<RateLimitWindow>({
    type: 'RateLimitWindow',
    schema,
    key: () => rateLimitKey(subject, operation, windowStart),
  });
}
