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

/** Imports the entry in a fresh Node.js process with only `env`; resolves to its stderr on failure. */
async function coldStart(name: FunctionName): Promise<string | undefined> {
  const entry = pathToFileURL(join(repoRoot, functionDefinition(name).entry)).href;
  try {
    await run(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--eval', `await import(${JSON.stringify(entry)});`],
      {
        cwd: repoRoot,
        env: { ...deployedEnv(name), AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'SILENT' },
        timeout: 60_000,
      },
    );
    return undefined;
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    return stderr ?? String(error);
  }
}

describe('Functions: cold start', () => {
  it('imports every entry module with only the variables its capabilities give it', async () => {
    // Act: two at a time (the machine is shared)
    const failures: { name: FunctionName; error: string }[] = [];
    const queue = [...functionNames];
    const worker = async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        const error = await coldStart(name);
        if (error !== undefined) failures.push({ name, error: error.split('\n').slice(0, 12).join('\n') });
      }
    };
    await Promise.all([worker(), worker()]);

    // Assert
    expect(failures).toEqual([]);
  }, 300_000);
});
