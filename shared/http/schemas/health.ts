import { z } from 'zod';

export const ProbeResponse = z
  .object({
    status: z.literal('ok'),
    probe: z.enum(['live', 'ready', 'startup']),
    startedAt: z.iso.datetime(),
    uptimeSeconds: z.number().nonnegative(),
  })
  .meta({ id: 'Probe' });

export const IntegrationCheck = z
  .object({
    name: z.enum(['table', 'queue', 'bus', 'stepFunctions', 'kms']),
    status: z.enum(['ok', 'failed']),
    latencyMs: z.number().nonnegative(),
    error: z.string().optional().meta({ description: 'The failure class only, never a message' }),
  })
  .meta({ id: 'IntegrationCheck' });

export const IntegrationsResponse = z
  .object({ status: z.enum(['ok', 'degraded']), checks: z.array(IntegrationCheck) })
  .meta({ id: 'Integrations' });
