/**
 * The webhook URL checks' one setting: WEBHOOK_LOOPBACK_IN_TEST=true lets test-mode endpoints reach
 * loopback, so a receiver on this machine can be registered and delivered to. Only the local stack sets it
 * (local/stack.ts); CDK never does, and live mode ignores it.
 */
import * as z from 'zod/mini';
import { readEnv } from '../config.js';
import type { EndpointUrlOptions } from '../domain/webhook-url.js';
import { once } from '../lazy.js';

export const WEBHOOK_LOOPBACK_ENV = 'WEBHOOK_LOOPBACK_IN_TEST';

export const webhookUrlOptions = once(
  (): EndpointUrlOptions => ({
    allowLoopbackInTest:
      readEnv(z.object({ [WEBHOOK_LOOPBACK_ENV]: z.optional(z.string()) }))[WEBHOOK_LOOPBACK_ENV] === 'true',
  }),
);
