import * as z from 'zod/mini';

export const ProbeResponse = z
  .object({
    status: z.literal('ok'),
    probe: z.enum(['live', 'ready', 'startup']),
    startedAt: z.iso.datetime(),
    uptimeSeconds: z.number().check(z.nonnegative()),
  })
  .register(z.globalRegistry, { id: 'Probe' });

export const IntegrationCheck = z
  .object({
    name: z.enum(['table', 'queue', 'bus', 'stepFunctions', 'kms']),
    status: z.enum(['ok', 'failed']),
    latencyMs: z.number().check(z.nonnegative()),
    error: z
      .optional(z.string())
      .register(z.globalRegistry, { description: 'The failure class only, never a message' }),
  })
  .register(z.globalRegistry, { id: 'IntegrationCheck' });

export const IntegrationsResponse = z
  .object({ status: z.enum(['ok', 'degraded']), checks: z.array(IntegrationCheck) })
  .register(z.globalRegistry, { id: 'Integrations' });
