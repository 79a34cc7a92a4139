/**
 * What `semver` becomes in a Lambda bundle (an esbuild alias, shared/infra/bundling.ts). Only
 * aws-xray-sdk-core requires it, for one check in captureAWS, the AWS SDK v2's global patch
 * (`semver.gte(AWS.VERSION, '2.7.15')`), which this service never calls: the tracer captures each v3 client
 * (tracing.ts). The 28 KiB range parser was in every traced bundle for that. This compares plain
 * `major.minor.patch` versions and refuses anything else. test/infra/bundle-contents.test.ts checks that
 * nothing else in a bundle requires semver; test/unit/shared/semver-gte.test.ts that it answers as semver.
 */

const PLAIN = /^v?(\d+)\.(\d+)\.(\d+)$/;

function parts(version: string): [number, number, number] {
  const match = PLAIN.exec(String(version).trim());
  if (match === null) throw new TypeError(`Not a plain major.minor.patch version: ${version}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Whether `version` is at least `minimum`. */
export function gte(version: string, minimum: string): boolean {
  const [a, b] = [parts(version), parts(minimum)];
  for (let i = 0; i < 3; i += 1) if (a[i] !== b[i]) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}
