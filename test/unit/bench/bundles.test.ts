import {
  type BundleReport,
  bundleHighlights,
  bundleLines,
  bundleTable,
  dummyFunctionEnv,
  type FunctionBundle,
  IMPORT_SCRIPT,
  LAMBDA_BUNDLING,
  median,
  parseImportAnswer,
} from '../../../bench/bundles.js';
import { queueKeys, queues } from '../../../shared/infra/queues.js';
import { stateMachines } from '../../../shared/infra/state-machines.js';

function bundle(values: Partial<FunctionBundle> & Pick<FunctionBundle, 'name'>): FunctionBundle {
  return { entry: `functions/${values.name}.ts`, importMs: [], ...values };
}

function report(functions: FunctionBundle[], importRuns = 3): BundleReport {
  return { functions, importRuns, nodeVersion: 'v20.0.0', elapsedMs: 1_000 };
}

describe('Constant: LAMBDA_BUNDLING', () => {
  it('bundles everything as minified ESM for Node 22, as the CDK construct does', () => {
    expect(LAMBDA_BUNDLING).toMatchObject({
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      external: [],
    });
    expect(LAMBDA_BUNDLING.banner.js).toContain('createRequire');
  });
});

describe('Function: dummyFunctionEnv', () => {
  it('returns every variable the infrastructure definitions give a function', () => {
    // Act
    const env = dummyFunctionEnv();

    // Assert
    for (const name of [
      'TABLE_NAME',
      'EVENT_BUS_NAME',
      'KMS_KEY_ID',
      'MFA_KMS_KEY_ID',
      'CURSOR_SECRET',
      'STRIPE_SECRET_KEY',
      'KYC_BUCKET_NAME',
    ]) {
      expect(env[name]).toEqual(expect.any(String));
    }
    for (const key of queueKeys) expect(env[queues[key].urlEnv]).toEqual(expect.any(String));
    for (const machine of Object.values(stateMachines))
      expect(env[machine.arnEnv]).toMatch(/^arn:aws:states:/);
  });

  it('points every endpoint at loopback, so nothing reaches AWS or the internet', () => {
    // Act
    const env = dummyFunctionEnv();

    // Assert
    const urls = Object.values(env).filter((value) => /^https?:\/\//.test(value));
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(new URL(url).hostname).toBe('127.0.0.1');
    expect(env.APP_SECRETS_ARN).toBeUndefined();
  });
});

describe('Function: parseImportAnswer', () => {
  it('returns the time of the last answer line, ignoring what the module logged', () => {
    const stdout = '{"level":"INFO"}\n@@bench-import@@{"ms":1}\nnoise\n@@bench-import@@{"ms":12.5}\n';
    expect(parseImportAnswer(stdout)).toEqual({ ms: 12.5 });
  });

  it('returns the error the import reported', () => {
    expect(parseImportAnswer('@@bench-import@@{"error":"Error: Invalid environment: TABLE_NAME"}\n')).toEqual(
      {
        error: 'Error: Invalid environment: TABLE_NAME',
      },
    );
  });

  it.each([
    ['', /no answer/],
    ['@@bench-import@@{nope', /unreadable/],
    ['@@bench-import@@{"ms":"fast"}', /unreadable/],
  ])('returns an error, never a time, for %j', (stdout, message) => {
    const answer = parseImportAnswer(stdout);
    expect('error' in answer && answer.error).toMatch(message);
  });
});

describe('Constant: IMPORT_SCRIPT', () => {
  it('times the dynamic import and checks the handler export', () => {
    expect(IMPORT_SCRIPT).toContain('performance.now()');
    expect(IMPORT_SCRIPT).toContain('await import(pathToFileURL(file).href)');
    expect(IMPORT_SCRIPT).toContain("typeof module[handler] === 'function'");
  });
});

describe('Function: median', () => {
  it('returns the middle value, or undefined for no values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([])).toBeUndefined();
  });
});

describe('Function: bundleTable', () => {
  it('returns the largest bundle first, with sizes in KiB, the median import and its range', () => {
    // Arrange
    const bundles = report([
      bundle({ name: 'health', bytes: 100 * 1024, gzipBytes: 30 * 1024, importMs: [300, 100, 200] }),
      bundle({
        name: 'paymentRequest',
        bytes: 1_400 * 1024,
        gzipBytes: 320 * 1024,
        importMs: [500, 700, 600],
        contributors: [
          { name: 'stripe', bytes: 241 * 1024 },
          { name: '@smithy/core', bytes: 133 * 1024 },
        ],
      }),
    ]);

    // Act
    const table = bundleTable(bundles);

    // Assert
    expect(table.header).toHaveLength(table.align.length);
    expect(table.rows).toEqual([
      [
        'paymentRequest',
        'functions/paymentRequest.ts',
        '1400',
        '320',
        '600',
        '500–700',
        'stripe 241, @smithy/core 133',
        '',
      ],
      ['health', 'functions/health.ts', '100', '30', '200', '100–300', '', ''],
    ]);
  });

  it('shows the error and no time for a function that could not be imported', () => {
    // Arrange
    const bundles = report([
      bundle({ name: 'webhookOps', bytes: 1024, gzipBytes: 512, error: 'Error: Invalid environment' }),
    ]);

    // Act
    const [row] = bundleTable(bundles).rows;

    // Assert
    expect(row?.slice(4)).toEqual(['–', '–', '', 'Error: Invalid environment']);
  });
});

describe('Function: bundleLines', () => {
  it('gives each function its size, median import and top contributors, largest first', () => {
    // Arrange
    const bundles = report([
      bundle({ name: 'health', bytes: 60 * 1024, importMs: [20], contributors: [] }),
      bundle({
        name: 'walletTopup',
        bytes: 600 * 1024,
        importMs: [90, 110, 100],
        contributors: [{ name: 'stripe', bytes: 241 * 1024 }],
      }),
      bundle({ name: 'gifts', error: 'bundling failed: boom' }),
    ]);

    // Act
    const lines = bundleLines(bundles);

    // Assert
    expect(lines).toEqual([
      'walletTopup 600 KiB, import 100 ms: stripe 241',
      'health 60 KiB, import 20 ms',
      'gifts: bundling failed: boom',
    ]);
  });
});

describe('Function: bundleHighlights', () => {
  it('names the largest bundle, the fastest and slowest median import and the failures', () => {
    // Arrange
    const bundles = report([
      bundle({ name: 'health', bytes: 2048, gzipBytes: 1024, importMs: [100] }),
      bundle({ name: 'openapi', bytes: 4096, gzipBytes: 2048, importMs: [300] }),
      bundle({ name: 'gifts', bytes: 1024, gzipBytes: 512, error: 'boom' }),
    ]);

    // Act
    const lines = bundleHighlights(bundles);

    // Assert
    expect(lines[0]).toBe('3 of 3 functions bundled; largest openapi 4 KiB minified (2 KiB gzip).');
    expect(lines[1]).toBe(
      '2 imported (median of 3): 100.0 ms (health) to 300.0 ms (openapi); 1 failed: gifts.',
    );
  });

  it('says nothing of imports when none were asked for', () => {
    expect(
      bundleHighlights(report([bundle({ name: 'health', bytes: 1024, gzipBytes: 512 })], 0)),
    ).toHaveLength(1);
  });
});
