import { checkIntegrations, ProbeTimeoutError } from '../../../shared/app/check-integrations.js';
import type { IntegrationName, IntegrationProbe } from '../../../shared/app/ports.js';

function okProbe(name: IntegrationName): IntegrationProbe {
  return { name, check: async () => undefined };
}

function failingProbe(name: IntegrationName, error: unknown): IntegrationProbe {
  return {
    name,
    check: async () => {
      throw error;
    },
  };
}

function hangingProbe(name: IntegrationName): IntegrationProbe {
  return { name, check: () => new Promise<void>(() => undefined) };
}

class AccessDeniedException extends Error {
  override readonly name = 'AccessDeniedException';
}

describe('Function: checkIntegrations', () => {
  it('returns status ok with one ok check per probe when every probe answers', async () => {
    // Arrange
    const probes = [
      okProbe('table'),
      okProbe('queue'),
      okProbe('bus'),
      okProbe('stepFunctions'),
      okProbe('kms'),
    ];

    // Act
    const report = await checkIntegrations(probes);

    // Assert
    expect(report.status).toBe('ok');
    expect(report.checks.map((check) => [check.name, check.status])).toEqual([
      ['table', 'ok'],
      ['queue', 'ok'],
      ['bus', 'ok'],
      ['stepFunctions', 'ok'],
      ['kms', 'ok'],
    ]);
    for (const check of report.checks) {
      expect(check.latencyMs).toBeGreaterThanOrEqual(0);
      expect(check).not.toHaveProperty('error');
    }
  });

  it('returns status ok with no checks when there are no probes', async () => {
    // Arrange & Act
    const report = await checkIntegrations([]);

    // Assert
    expect(report).toEqual({ status: 'ok', checks: [] });
  });

  it('returns degraded with only the error name when a probe throws', async () => {
    // Arrange
    const secret = 'User arn:aws:iam::123456789012:role/x is not authorized on table tween-prod';
    const probes = [okProbe('table'), failingProbe('kms', new AccessDeniedException(secret))];

    // Act
    const report = await checkIntegrations(probes);

    // Assert
    expect(report.status).toBe('degraded');
    expect(report.checks[0]).toMatchObject({ name: 'table', status: 'ok' });
    expect(report.checks[1]).toEqual({
      name: 'kms',
      status: 'failed',
      latencyMs: expect.any(Number),
      error: 'AccessDeniedException',
    });
    expect(JSON.stringify(report)).not.toContain('arn:aws');
  });

  it('returns the generic Error name when a probe throws a plain Error', async () => {
    // Arrange
    const probes = [failingProbe('queue', new Error('queue https://sqs.local/secret is gone'))];

    // Act
    const report = await checkIntegrations(probes);

    // Assert
    expect(report.checks[0]?.error).toBe('Error');
    expect(JSON.stringify(report)).not.toContain('secret');
  });

  it('returns UnknownError when a probe throws something that is not an Error', async () => {
    // Arrange
    const probes = [failingProbe('bus', 'a string with internals')];

    // Act
    const report = await checkIntegrations(probes);

    // Assert
    expect(report.checks[0]).toMatchObject({ status: 'failed', error: 'UnknownError' });
    expect(JSON.stringify(report)).not.toContain('internals');
  });

  it('returns degraded with ProbeTimeoutError when a probe hangs past the timeout', async () => {
    // Arrange
    const probes = [okProbe('table'), hangingProbe('stepFunctions')];

    // Act
    const report = await checkIntegrations(probes, 20);

    // Assert
    expect(report.status).toBe('degraded');
    expect(report.checks[1]).toEqual({
      name: 'stepFunctions',
      status: 'failed',
      latencyMs: expect.any(Number),
      error: 'ProbeTimeoutError',
    });
    expect(report.checks[1]?.latencyMs).toBeGreaterThanOrEqual(15);
  });

  it('returns after about one timeout when several probes hang, as they run at once', async () => {
    // Arrange
    const probes = [hangingProbe('table'), hangingProbe('queue'), hangingProbe('bus')];
    const started = Date.now();

    // Act
    const report = await checkIntegrations(probes, 200);

    // Assert
    expect(Date.now() - started).toBeLessThan(500);
    expect(report.checks.every((check) => check.error === 'ProbeTimeoutError')).toBe(true);
  });

  it('returns ok for a slow probe that answers within the timeout', async () => {
    // Arrange
    const slow: IntegrationProbe = {
      name: 'table',
      check: () => new Promise<void>((resolve) => setTimeout(resolve, 10)),
    };

    // Act
    const report = await checkIntegrations([slow], 500);

    // Assert
    expect(report).toMatchObject({ status: 'ok', checks: [{ name: 'table', status: 'ok' }] });
  });
});

describe('Class: ProbeTimeoutError', () => {
  it('has the name ProbeTimeoutError', () => {
    // Arrange & Act
    const error = new ProbeTimeoutError('kms did not answer');

    // Assert
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ProbeTimeoutError');
  });
});
