/**
 * Package files a function reads at run time (the API reference's Swagger UI bundle) travel in that
 * function's bundle only, under node_modules/, where the bundled code resolves them as the sources do here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assetCopyCommands } from '../../cdk/constructs/payments-function.js';
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
