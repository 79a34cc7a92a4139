/**
 * esbuild aliases every Lambda bundle is built with, by CDK (cdk/constructs/payments-function.ts) and by the
 * bench (bench/bundles.ts) alike, paths relative to the project root.
 *
 * The SDK's default credential chain becomes its environment link alone: in Lambda the role's credentials
 * are always in the environment, and the rest of the chain (SSO, web identity, INI, IMDS and the nested STS
 * and SSO clients) is dead weight in every bundle.
 *
 * Powertools' JMESPath interpreter becomes the two shapes of expression Idempotency evaluates for us (a
 * field, a multi-select list of fields): shared/http/jmespath-subset.ts, which says why. The SDK's event-stream
 * codec, which no bundled client uses, and semver, which the X-Ray SDK needs only to patch the v2 SDK, are
 * left out the same way (shared/adapters/aws/no-event-streams.ts, shared/observability/semver-gte.ts), and
 * otplib's pure-JavaScript hashes give way to node:crypto (shared/adapters/crypto/otp-node-crypto.ts).
 */
export const LAMBDA_ALIASES = {
  '@aws-sdk/credential-provider-node': './shared/adapters/aws/lambda-credentials.ts',
  '@aws-lambda-powertools/jmespath/functions': './shared/http/jmespath-subset.ts',
  '@aws-lambda-powertools/jmespath': './shared/http/jmespath-subset.ts',
  '@smithy/core/event-streams': './shared/adapters/aws/no-event-streams.ts',
  semver: './shared/observability/semver-gte.ts',
  '@otplib/plugin-crypto-noble': './shared/adapters/crypto/otp-node-crypto.ts',
} as const;

/**
 * Source maps keep the names and positions Node.js maps a stack trace with (NODE_OPTIONS=--enable-source-maps)
 * but not each source file's text (esbuild's `sourcesContent`), which only a debugger displays: with it, the
 * map was 3–4× the size of the bundle, and Node.js reads and parses the whole map when it loads the bundle,
 * at every cold start (about a quarter of a small function's import CPU time here).
 */
export const LAMBDA_SOURCES_CONTENT = false;

/** The same aliases as esbuild command-line arguments (NodejsFunction's `esbuildArgs`). */
export function esbuildAliasArgs(): Record<string, string> {
  return Object.fromEntries(Object.entries(LAMBDA_ALIASES).map(([from, to]) => [`--alias:${from}`, to]));
}
