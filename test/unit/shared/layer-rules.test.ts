/**
 * The layer rules of ../shared/DESIGN.md (Layout), enforced by Biome's noRestrictedImports per folder
 * (biome.json overrides), which `npm test` runs as part of `biome check .`. Each case plants a wrong import
 * in a file inside a guarded folder and expects the lint to fail on it, naming the folder's rule; the real
 * tree passes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const biome = join(repoRoot, 'node_modules/@biomejs/biome/bin/biome');
const RULE = 'lint/style/noRestrictedImports';

interface Diagnostic {
  category: string;
  message: string;
  location: { path: string };
}

interface LintRun {
  status: number | null;
  diagnostics: Diagnostic[];
}

/** Biome's lint, the import rule only, over repo-relative paths. */
function lintImports(paths: string[]): LintRun {
  const run = spawnSync(
    process.execPath,
    [biome, 'lint', '--only=style/noRestrictedImports', '--reporter=json', ...paths],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  if (run.error !== undefined) throw run.error;
  const start = run.stdout.indexOf('{');
  if (start < 0) throw new Error(`biome lint printed no report: ${run.stderr}`);
  const report = JSON.parse(run.stdout.slice(start)) as { diagnostics: Diagnostic[] };
  return { status: run.status, diagnostics: report.diagnostics };
}

/** Writes each source at a fresh repo-relative path in its folder, lints them in one run, and removes them. */
function lintPlanted(probes: { folder: string; source: string }[]): { run: LintRun; files: string[] } {
  const files = probes.map(({ folder }, index) => join(folder, `layer-probe-${process.pid}-${index}.ts`));
  try {
    probes.forEach(({ source }, index) => {
      const absolute = join(repoRoot, files[index] ?? '');
      mkdirSync(dirname(absolute), { recursive: true });
      writeFileSync(absolute, source);
    });
    return { run: lintImports(files), files };
  } finally {
    for (const file of files) rmSync(join(repoRoot, file), { force: true });
  }
}

const probeSource = (line: string) => `${line}\n\nexport const probe = 1;\n`;

/** [rule, folder the file is planted in, the wrong import] */
const wrongImports: [string, string, string][] = [
  ['domain', 'shared/domain', "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';"],
  ['domain', 'shared/domain', "import type { Context } from 'aws-lambda';"],
  ['domain', 'shared/domain', "import { createServer } from 'node:http';"],
  ['domain', 'shared/domain', "import { logger } from '../observability/powertools.js';"],
  ['domain', 'shared/domain', "import { routes } from '../infra/routes.js';"],
  ['app', 'shared/app/payments', "import { DynamoDbPayments } from '../../adapters/dynamodb/payments.js';"],
  ['app', 'shared/app', "import { json } from '../http/handler.js';"],
  ['app', 'shared/app', "import middy from '@middy/core';"],
  ['app', 'shared/app', "import type { SQSEvent } from 'aws-lambda';"],
  ['app', 'shared/app/mfa', "import { SFNClient } from '@aws-sdk/client-sfn';"],
  ['adapters', 'shared/adapters/aws', "import { json } from '../../http/handler.js';"],
  ['adapters', 'shared/adapters', "import { paymentProvider } from '../composition/providers.js';"],
  [
    'adapters',
    'shared/adapters/dynamodb',
    "import { payments } from '../../../functions/payments/context.js';",
  ],
  ['http', 'shared/http', "import { documentClient } from '../adapters/aws/dynamodb-client.js';"],
  ['http', 'shared/http/views', "import { DynamoDbPayments } from '../../adapters/dynamodb/payments.js';"],
  ['http', 'shared/http', "import { idempotencyStore } from '../composition/http.js';"],
  ['infra', 'shared/infra', "import { outboxItem } from '../adapters/dynamodb/outbox.js';"],
  ['infra', 'shared/infra', "import { json } from '../http/handler.js';"],
  ['observability', 'shared/observability', "import { mapError } from '../http/errors.js';"],
  ['shared', 'shared/composition', "import { payments } from '../../functions/payments/context.js';"],
  ['shared', 'shared', "import { startStack } from '../local/stack.js';"],
  ['shared', 'shared', "import { fakeClock } from '../test/support/fakes.js';"],
  ['functions', 'functions/payments', "import { startStack } from '../../local/stack.js';"],
  ['functions', 'functions/wallets', "import { StatelessStack } from '../../cdk/lib/stateless-stack.js';"],
];

describe('Lint: the layer rules (biome.json, noRestrictedImports per folder)', () => {
  let planted: { run: LintRun; files: string[] };
  const allowed = [
    // A use case reads the domain; an adapter logs.
    { folder: 'shared/app', source: probeSource("import { parseAmount } from '../domain/money.js';") },
    {
      folder: 'shared/adapters',
      source: probeSource("import { logger } from '../observability/powertools.js';"),
    },
  ];

  beforeAll(() => {
    planted = lintPlanted([
      ...wrongImports.map(([, folder, line]) => ({ folder, source: probeSource(line) })),
      ...allowed,
    ]);
  });

  const diagnosticsOf = (index: number) =>
    planted.run.diagnostics.filter((diagnostic) => diagnostic.location.path === planted.files[index]);

  it('fails the lint run that holds a wrong import', () => {
    // Assert
    expect(planted.run.status).not.toBe(0);
  });

  it.each(wrongImports.map((wrong, index) => [...wrong, index] as const))(
    'fails the %s rule on a file in %s that says %s',
    (rule, _folder, _line, index) => {
      // Act
      const diagnostics = diagnosticsOf(index);

      // Assert
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]).toMatchObject({ category: RULE });
      expect(diagnostics[0]?.message).toMatch(new RegExp(`^Layer rule ${rule}: `));
    },
  );

  it('passes an import the layer may make (the domain from a use case, observability from an adapter)', () => {
    // Act
    const diagnostics = allowed.map((_, index) => diagnosticsOf(wrongImports.length + index));

    // Assert
    expect(diagnostics).toEqual([[], []]);
  });

  it('passes on the real tree', () => {
    // Act
    const run = lintImports(['shared', 'functions', 'local', 'cdk']);

    // Assert
    expect(run.diagnostics).toEqual([]);
    expect(run.status).toBe(0);
  });
});
