/**
 * No source file outside `local/` and `test/` above 400 lines (#14): a file that grows past it is split into
 * cohesive modules (as the Stripe and PayPal mappings, the route catalogues and the ports were) before it
 * lands. The test names every file over the limit with its length.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const GUARDED = ['shared', 'functions', 'cdk', 'bench'];
const MAX_LINES = 400;

/** Every `.ts` file under `dir`, repo-relative. */
function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [relative(repoRoot, path)] : [];
  });
}

/** Lines as `wc -l` counts them, plus an unterminated last one. */
function lineCount(text: string): number {
  const newlines = text.split('\n').length - 1;
  return text === '' || text.endsWith('\n') ? newlines : newlines + 1;
}

describe('source file size', () => {
  const files = GUARDED.flatMap((dir) => typeScriptFiles(join(repoRoot, dir)));

  it('finds the source files', () => {
    expect(files).toContain(join('shared', 'infra', 'routes.ts'));
  });

  it(`keeps every .ts file under ${GUARDED.join('/, ')}/ at ${MAX_LINES} lines or fewer`, () => {
    const tooLong = files
      .map((file) => ({ file, lines: lineCount(readFileSync(join(repoRoot, file), 'utf8')) }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`)
      .sort();
    expect(tooLong).toEqual([]);
  });
});
