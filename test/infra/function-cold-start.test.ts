/**
 * Each function cold-starts with exactly the environment CDK gives it: its entry module is imported in a
 * process of its own whose environment is the function's `Environment.Variables` from the synthesized
 * template (plus the region Lambda sets), so a function that reads a variable its capabilities do not give
 * it fails here, not at its first cold start on AWS. Importing does no network call: secrets are read on the
 * first request.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Template } from 'aws-cdk-lib/assertions';
import { repoRoot } from '../../cdk/lib/repo-root.js';
import { type FunctionName, functionDefinition, functionNames } from '../../shared/infra/functions.js';
import { logicalIdOf } from './template-helpers.js';
import { buildTestApp } from './test-app.js';

const run = promisify(execFile);

// Arrange (once per file: synthesis is the slow part)
const { stateless } = buildTestApp();
const resources = Template.fromStack(stateless).toJSON().Resources as Record<
  string,
  { Properties: { Environment?: { Variables?: Record<string, unknown> } } }
>;

/** The function's variables as deployed; a value CloudFormation resolves (a Ref) becomes a stand-in. */
function deployedEnv(name: FunctionName): Record<string, string> {
  const variables =
    resources[logicalIdOf(stateless, stateless.functions[name])]?.Properties.Environment?.Variables ?? {};
  return Object.fromEntries(
    Object.entries(variables).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : `https://${key.toLowerCase().replaceAll('_', '-')}.test`,
    ]),
  );
}

/**
 * Imports the entries in a fresh Node.js process with only `env`; resolves to its stderr on failure. Functions
 * given the same variables share one process: a factory one of them built is what the other would build.
 */
async function coldStart(
  names: readonly FunctionName[],
  env: Record<string, string>,
): Promise<string | undefined> {
  const imports = names
    .map(
      (name) =>
        `await import(${JSON.stringify(pathToFileURL(join(repoRoot, functionDefinition(name).entry)).href)});`,
    )
    .join(' ');
  try {
    await run(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', imports], {
      cwd: repoRoot,
      env: { ...env, AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'SILENT' },
      timeout: 60_000,
    });
    return undefined;
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    return stderr ?? String(error);
  }
}

describe('Functions: cold start', () => {
  it('imports every entry module with only the variables its capabilities give it', async () => {
    // Arrange
    const groups = new Map<string, { env: Record<string, string>; names: FunctionName[] }>();
    for (const name of functionNames) {
      const env = deployedEnv(name);
      const key = JSON.stringify(Object.entries(env).sort());
      const group = groups.get(key) ?? { env, names: [] };
      group.names.push(name);
      groups.set(key, group);
    }

    // Act: two processes at a time (the machine is shared)
    const failures: { names: FunctionName[]; error: string }[] = [];
    const queue = [...groups.values()];
    const worker = async () => {
      for (let group = queue.shift(); group !== undefined; group = queue.shift()) {
        const error = await coldStart(group.names, group.env);
        if (error !== undefined) {
          failures.push({ names: group.names, error: error.split('\n').slice(0, 12).join('\n') });
        }
      }
    };
    await Promise.all([worker(), worker()]);

    // Assert
    expect(failures).toEqual([]);
  }, 300_000);
});
