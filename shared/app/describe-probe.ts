export type ProbeName = 'live' | 'ready' | 'startup';

export interface ProbeReport {
  status: 'ok';
  probe: ProbeName;
  startedAt: string;
  uptimeSeconds: number;
}

/**
 * 1. Answer for the probe asked about. Reaching this code means the module loaded and its configuration
 *    parsed at cold start, which is what readiness and startup mean for a Lambda function.
 */
export function describeProbe(probe: ProbeName, startedAt: Date, now: Date): ProbeReport {
  return {
    status: 'ok',
    probe,
    startedAt: startedAt.toISOString(),
    uptimeSeconds: Math.max(0, (now.getTime() - startedAt.getTime()) / 1000),
  };
}
