/**
 * The published document lints clean under the Redocly CLI's recommended rules (redocly.yaml): no error
 * and no warning, as API.md promises app developers.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from '../../../shared/http/openapi.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(repoRoot, 'node_modules/@redocly/cli/bin/cli.js');

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

function lint(document: unknown): LintReport {
  const dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const run = spawnSync(
      process.execPath,
      [cli, 'lint', file, '--format=json', '--config', join(repoRoot, 'redocly.yaml')],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        // No telemetry and no update check: the lint is offline and says the same on every run.
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    );
    if (run.error !== undefined) throw run.error;
    const start = run.stdout.indexOf('{');
    if (start < 0) throw new Error(`redocly lint printed no report: ${run.stderr}`);
    return JSON.parse(run.stdout.slice(start)) as LintReport;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('Document: GET /openapi.json under redocly lint (recommended rules)', () => {
  it('has no error and no warning', () => {
    // Arrange
    const document = buildOpenApiDocument();

    // Act
    const report = lint(document);

    // Assert
    const problems = report.problems.map(
      (problem) =>
        `${problem.severity} ${problem.ruleId} at ${problem.location[0]?.pointer ?? '?'}: ${problem.message}`,
    );
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });
});
