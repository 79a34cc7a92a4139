/**
 * What the traced bundles carry instead of semver (shared/observability/semver-gte.ts, an esbuild alias):
 * `gte` answers as semver's for plain versions, the only kind aws-xray-sdk-core compares (the v2 SDK's
 * VERSION against 2.7.15), and refuses the rest instead of guessing.
 */
import { createRequire } from 'node:module';
import { gte } from '../../../shared/observability/semver-gte.js';

/** The package aws-xray-sdk-core requires (no type declarations of its own here). */
const semver = createRequire(import.meta.url)('semver') as { gte(version: string, minimum: string): boolean };

const versions = [
  '0.0.0',
  '1.0.0',
  '2.7.14',
  '2.7.15',
  '2.7.16',
  '2.10.0',
  '2.1692.0',
  '3.0.0',
  '10.2.3',
  'v2.7.15',
];

describe('Function: gte (semver in the Lambda bundles)', () => {
  it('answers as semver on plain versions', () => {
    for (const version of versions)
      for (const minimum of versions)
        expect({ version, minimum, gte: gte(version, minimum) }).toEqual({
          version,
          minimum,
          gte: semver.gte(version, minimum),
        });
  });

  it.each(['2.7', '2.7.15-beta.1', '>=2.7.15', 'latest', ''])('refuses %s', (version) => {
    expect(() => gte(version, '2.7.15')).toThrow(TypeError);
  });
});
