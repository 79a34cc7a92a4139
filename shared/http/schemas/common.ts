import { z } from 'zod';

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'INSUFFICIENT_FUNDS' }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });
