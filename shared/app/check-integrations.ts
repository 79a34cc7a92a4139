import type { IntegrationName, IntegrationProbe } from './ports.js';

export interface IntegrationCheck {
  name: IntegrationName;
  status: 'ok' | 'failed';
  latencyMs: number;
  error?: string;
}

export interface IntegrationsReport {
  status: 'ok' | 'degraded';
  checks: IntegrationCheck[];
}

export class ProbeTimeoutError extends Error {
  override readonly name = 'ProbeTimeoutError';
}

/**
 * 1. Run every probe at once, each bounded by `timeoutMs`.
 * 2. Report each one; the service is degraded when any failed.
 * Only the failure's class is reported: a message may carry internals.
 */
export async function checkIntegrations(
  probes: readonly IntegrationProbe[],
  timeoutMs = 2_000,
): Promise<IntegrationsReport> {
  const checks = await Promise.all(probes.map((probe) => runProbe(probe, timeoutMs)));
  return { status: checks.every((check) => check.status === 'ok') ? 'ok' : 'degraded', checks };
}

async function runProbe(probe: IntegrationProbe, timeoutMs: number): Promise<IntegrationCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeoutError(`${probe.name} did not answer`)), timeoutMs);
  });
  try {
    await Promise.race([probe.check(), timeout]);
    return { name: probe.name, status: 'ok', latencyMs: elapsed(started) };
  } catch (error) {
    const name = error instanceof Error ? error.name : 'UnknownError';
    return { name: probe.name, status: 'failed', latencyMs: elapsed(started), error: name };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
