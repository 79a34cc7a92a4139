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
