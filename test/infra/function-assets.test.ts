/**
 * Package files a function reads at run time (the API reference's Swagger UI bundle) travel in that
 * function's bundle only, under node_modules/, where the bundled code resolves them as the sources do here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { assetCopyCommands, PaymentsFunction } from '../../cdk/constructs/payments-function.js';
import { packageAssets } from '../../shared/http/api-reference.js';
import { functionNames, functions } from '../../shared/infra/functions.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

describe('Catalogue: function assets', () => {
  it('gives the docs function every package file the API reference reads, and no other function any', () => {
    // Arrange
    const read = Object.values(packageAssets).map((asset) => asset.file);

    // Act
    const carrying = functionNames.filter((name) => 'assets' in functions[name]);

    // Assert
    expect(carrying).toEqual(['docs']);
    expect([...functions.docs.assets].sort()).toEqual([...read].sort());
  });
});

describe('Function: assetCopyCommands', () => {
  let outputDir: string;

  beforeEach(() => {
    outputDir = mkdtempSync(join(tmpdir(), 'function-assets-'));
  });

  afterEach(() => {
    rmSync(outputDir, { recursive: true, force: true });
  });

  it('copies each file into the bundle, where the bundle resolves it by its package path', () => {
    // Arrange
    const commands = assetCopyCommands(repoRoot, outputDir, functions.docs.assets);

    // Act
    for (const command of commands) execFileSync('sh', ['-c', command]);

    // Assert
    const resolveFromBundle = createRequire(join(outputDir, 'index.mjs')).resolve;
    for (const file of functions.docs.assets) {
      const resolved = resolveFromBundle(file);
      expect(resolved).toBe(join(outputDir, 'node_modules', file));
      expect(readFileSync(resolved).equals(readFileSync(join(repoRoot, 'node_modules', file)))).toBe(true);
    }
  });

  it.each([['../../etc/passwd'], ['swagger-ui-dist/../../secret'], ["swagger-ui-dist/x'; rm -rf /; '"]])(
    'refuses %s, which is not a file of a package',
    (asset) => {
      // Act & Assert
      expect(() => assetCopyCommands(repoRoot, outputDir, [asset])).toThrow(`Not a package file: ${asset}`);
      expect(existsSync(join(outputDir, 'node_modules'))).toBe(false);
    },
  );
});

/** Imports a bundle in a fresh node (as Lambda would) and answers each route key through its handler. */
const INVOKE = `
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const [dir, ...routeKeys] = process.argv.slice(1);
const { handler } = await import(dir + '/index.mjs');
const answers = {};
for (const routeKey of routeKeys) {
  const path = routeKey.split(' ')[1];
  const event = { version: '2.0', routeKey, rawPath: path, headers: {}, isBase64Encoded: false,
    requestContext: { http: { method: 'GET', path }, routeKey, requestId: 'r', authorizer: { jwt: { claims: {} } } } };
  const answer = await handler(event, { functionName: 'docs', awsRequestId: 'r', getRemainingTimeInMillis: () => 5000 });
  answers[routeKey] = { status: answer.statusCode, type: answer.headers['content-type'], length: answer.body.length };
}
process.stdout.write(JSON.stringify(answers));
`;

describe('Bundle: the docs function as CDK bundles it for Lambda', () => {
  let outdir: string;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'docs-bundle-'));
  });

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it('carries the Swagger UI files and serves every asset route from the bundle alone', () => {
    // Arrange
    const app = new App({ outdir });
    const definition = functions.docs;
    new PaymentsFunction(new Stack(app, 'DocsOnly'), 'Docs', {
      entry: join(repoRoot, definition.entry),
      handler: definition.handler,
      description: definition.description,
      timeout: Duration.seconds(definition.timeoutSeconds),
      memorySize: definition.memoryMb,
      projectRoot: repoRoot,
      assets: definition.assets,
    });
    const assembly = app.synth();
    const [bundleDir = ''] = readdirSync(assembly.directory)
      .filter((name) => name.startsWith('asset.'))
      .map((name) => join(assembly.directory, name));

    // Act
    const run = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', INVOKE, bundleDir, ...Object.keys(packageAssets), 'GET /docs'],
      { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, cwd: tmpdir() },
    );

    // Assert
    expect(run.stderr).toBe('');
    const answers = JSON.parse(run.stdout) as Record<
      string,
      { status: number; type: string; length: number }
    >;
    for (const [key, asset] of Object.entries(packageAssets)) {
      expect(answers[key]).toEqual({
        status: 200,
        type: asset.contentType,
        length: readFileSync(join(repoRoot, 'node_modules', asset.file), 'utf8').length,
      });
    }
    expect(answers['GET /docs']).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
  }, 180_000);
});
