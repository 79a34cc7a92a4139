/**
 * Each function carries only what it calls (issue #15): every entry bundled once with the CDK settings
 * (bench/bundles.ts's LAMBDA_BUNDLING) and esbuild's metafile, then what each bundle holds, by package.
 * Sizes are the bench's business (`npm run bench -- --only-bundles`); this holds what must not be there.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { LAMBDA_BUNDLING } from '../../bench/bundles.js';
import { contributors } from '../../bench/contributors.js';
import { LAMBDA_ALIASES } from '../../shared/infra/bundling.js';
import { type FunctionName, functionDefinition, functionNames } from '../../shared/infra/functions.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Each function's input paths (that left bytes in its bundle) and its packages. */
const bundles = new Map<FunctionName, { inputs: string[]; packages: Set<string> }>();
/** Each aliased specifier: the inputs (of any bundle) that import it, `<importer> (<kind>)`. */
const importersOfAlias = new Map<string, Set<string>>();

beforeAll(async () => {
  const result = await build({
    ...LAMBDA_BUNDLING,
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    external: [...LAMBDA_BUNDLING.external],
    sourcemap: false,
    entryPoints: Object.fromEntries(
      functionNames.map((name) => [name, resolve(repoRoot, functionDefinition(name).entry)]),
    ),
    outdir: '/nonexistent-bundle-contents',
    write: false,
    metafile: true,
    absWorkingDir: repoRoot,
    logLevel: 'silent',
  });
  for (const [path, input] of Object.entries(result.metafile.inputs))
    for (const imported of input.imports)
      if (imported.original !== undefined && imported.original in LAMBDA_ALIASES) {
        const importers = importersOfAlias.get(imported.original) ?? new Set<string>();
        importers.add(`${path.replace(/^.*node_modules\//, '')} (${imported.kind})`);
        importersOfAlias.set(imported.original, importers);
      }
  for (const output of Object.values(result.metafile.outputs)) {
    const name = functionNames.find(
      (candidate) =>
        resolve(repoRoot, functionDefinition(candidate).entry) === resolve(repoRoot, output.entryPoint ?? ''),
    );
    if (name === undefined) continue;
    bundles.set(name, {
      inputs: Object.entries(output.inputs)
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([path]) => path),
      packages: new Set(contributors(output).map((contributor) => contributor.name)),
    });
  }
}, 120_000);

function packagesOf(name: FunctionName): Set<string> {
  const bundle = bundles.get(name);
  if (bundle === undefined) throw new Error(`no bundle for ${name}`);
  return bundle.packages;
}

describe('Bundles: what each function carries', () => {
  it('bundles every function', () => {
    expect([...bundles.keys()].sort()).toEqual([...functionNames].sort());
  });

  it('carries aws-xray-sdk-core in the traced functions only', () => {
    for (const name of functionNames) {
      expect({ name, xray: packagesOf(name).has('aws-xray-sdk-core') }).toEqual({
        name,
        xray: functionDefinition(name).traced === true,
      });
    }
  });

  it('gives the health probes and the API reference no SDK client and no idempotency machinery', () => {
    for (const name of ['health', 'docs', 'openapi'] as const) {
      const packages = [...packagesOf(name)];
      expect({
        name,
        aws: packages.filter((pkg) => pkg.startsWith('@aws-sdk/') || pkg.startsWith('@smithy/')),
      }).toEqual({
        name,
        aws: [],
      });
    }
    for (const name of ['health', 'healthIntegrations', 'docs', 'openapi', 'walletBalance'] as const) {
      expect(packagesOf(name).has('@aws-lambda-powertools/idempotency')).toBe(false);
      expect(packagesOf(name).has('@aws-lambda-powertools/jmespath')).toBe(false);
    }
  });

  it('bundles Stripe only where the app secrets can be read, and never in the PayPal webhook', () => {
    for (const name of functionNames) {
      if (!functionDefinition(name).capabilities.includes('appSecrets:read'))
        expect({ name, stripe: packagesOf(name).has('stripe') }).toEqual({ name, stripe: false });
    }
    expect(packagesOf('paypalWebhookIngest').has('stripe')).toBe(false);
  });

  it('bundles the OpenAPI generator in the openapi function only, and classic zod in none', () => {
    for (const name of functionNames) {
      const bundle = bundles.get(name);
      const classic = (bundle?.inputs ?? []).filter((path) => path.includes('node_modules/zod/v4/classic/'));
      expect({ name, classic }).toEqual({ name, classic: [] });
      if (name !== 'openapi') expect(packagesOf(name).has('@asteasolutions/zod-to-openapi')).toBe(false);
    }
  });

  it('carries the minor-unit table, not the currency-codes package (names and countries of every currency)', () => {
    for (const name of functionNames)
      expect({ name, currencyCodes: packagesOf(name).has('currency-codes') }).toEqual({
        name,
        currencyCodes: false,
      });
  });

  it("carries no JMESPath interpreter: Idempotency's two expressions run on shared/http/jmespath-subset.ts", () => {
    for (const name of functionNames) {
      const inputs = bundles.get(name)?.inputs ?? [];
      expect({ name, jmespath: packagesOf(name).has('@aws-lambda-powertools/jmespath') }).toEqual({
        name,
        jmespath: false,
      });
      if (packagesOf(name).has('@aws-lambda-powertools/idempotency'))
        expect({ name, subset: inputs.includes('shared/http/jmespath-subset.ts') }).toEqual({
          name,
          subset: true,
        });
    }
  });

  it("carries neither the SDK's event-stream codec nor semver: nothing bundled needs them", () => {
    for (const name of functionNames) {
      const inputs = bundles.get(name)?.inputs ?? [];
      expect({
        name,
        semver: packagesOf(name).has('semver'),
        eventStreams: inputs.filter((path) =>
          path.includes('@smithy/core/dist-es/submodules/event-streams/'),
        ),
      }).toEqual({ name, semver: false, eventStreams: [] });
    }
    // Only the SDK protocols' lazy import for an event-stream operation, S3's client resolving the
    // marshaller of SelectObjectContent (never called: the stand-in's marshaller refuses), and only the X-Ray
    // SDK's v2 patch.
    expect([...(importersOfAlias.get('@smithy/core/event-streams') ?? [])].sort()).toEqual([
      '@aws-sdk/client-s3/dist-es/S3Client.js (import-statement)',
      '@aws-sdk/client-s3/dist-es/runtimeConfig.js (import-statement)',
      '@smithy/core/dist-es/submodules/protocols/HttpProtocol.js (dynamic-import)',
    ]);
    expect([...(importersOfAlias.get('semver') ?? [])]).toEqual([
      'aws-xray-sdk-core/dist/lib/patchers/aws_p.js (require-call)',
    ]);
  });

  /**
   * S3 is the exception, and only the KYC functions carry it: they presign PUTs and GETs and send only HeadObject,
   * which does not stream; its streaming operations (GetObject's body, SelectObjectContent) are
   * never called from a function.
   */
  const STREAMING_CLIENTS_NEVER_STREAMED = new Set(['@aws-sdk/client-s3']);

  it('bundles only AWS clients with no event-stream or streaming operation (S3 aside: see above)', () => {
    const clients = new Set(
      functionNames.flatMap((name) =>
        [...packagesOf(name)].filter((pkg) => pkg.startsWith('@aws-sdk/client-')),
      ),
    );
    expect(clients.size).toBeGreaterThan(0);
    for (const client of [...clients].filter((name) => !STREAMING_CLIENTS_NEVER_STREAMED.has(name))) {
      const schemas = readFileSync(
        resolve(repoRoot, 'node_modules', client, 'dist-es/schemas/schemas_0.js'),
        'utf8',
      );
      expect({ client, streaming: schemas.includes('"streaming"') }).toEqual({ client, streaming: false });
    }
  });

  it('leaves the function catalogue (every description, grant and setting) to CDK and the local stack', () => {
    for (const name of functionNames) {
      const inputs = bundles.get(name)?.inputs ?? [];
      expect({ name, catalogue: inputs.includes('shared/infra/functions.ts') }).toEqual({
        name,
        catalogue: false,
      });
    }
  });

  it("computes otplib's HMAC with node:crypto, not @noble/hashes", () => {
    for (const name of functionNames) {
      const packages = packagesOf(name);
      // pdfkit (the invoice PDFs) hashes its file IDs with @noble/hashes itself: only otplib's is aliased away.
      expect({ name, noble: packages.has('@noble/hashes') && !packages.has('pdfkit') }).toEqual({
        name,
        noble: false,
      });
      if (packages.has('otplib'))
        expect(bundles.get(name)?.inputs).toContain('shared/adapters/crypto/otp-node-crypto.ts');
    }
  });
});
