import * as z from 'zod/mini';

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().register(z.globalRegistry, { example: 'INSUFFICIENT_FUNDS' }),
      message: z.string(),
      details: z.optional(z.record(z.string(), z.unknown())),
    }),
  })
  .register(z.globalRegistry, { id: 'Error' });

/** E.164, as Stripe's `phone` and SNS's `PhoneNumber` take it. */
export const e164Phone = () =>
  z.string().check(z.regex(/^\+[1-9][0-9]{6,14}$/, 'must be an E.164 phone number (+15555550123)'));
