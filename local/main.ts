/**
 * `npm start`: the whole API on this machine. `npm start -- --in-memory` keeps nothing on disk;
 * `--json` prints one JSON line when ready instead of the banner (used by the tests).
 */
import { parseArgs } from 'node:util';
import { signLocalToken } from './auth.js';
import { banner } from './banner.js';
import { readLocalEnv } from './config.js';
import { MissingJavaError } from './processes.js';
import { DEMO_APP_ID, DEMO_MERCHANT_ID, DEMO_OWNER, DEMO_TEST_KEY } from './seed.js';
import { startStack } from './stack.js';

const { values } = parseArgs({
  options: { 'in-memory': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
});

// Node 20 is supported here; the SDK's notice about its own future requirement is noise in a dev console.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const env = readLocalEnv();
let stack: Awaited<ReturnType<typeof startStack>>;
try {
  stack = await startStack({ env, inMemory: values['in-memory'] ?? false });
} catch (error) {
  if (error instanceof MissingJavaError) {
    process.stderr.write(`\n${error.message}\n\n`);
    process.exit(1);
  }
  throw error;
}

if (values.json) {
  process.stdout.write(
    `${JSON.stringify({ ready: { apiUrl: stack.apiUrl, endpoints: stack.endpoints } })}\n`,
  );
} else {
  const ownerToken = await signLocalToken(DEMO_OWNER, { secret: env.LOCAL_JWT_SECRET });
  process.stdout.write(
    banner({
      demo: {
        merchantId: DEMO_MERCHANT_ID,
        owner: DEMO_OWNER,
        ownerToken,
        appId: DEMO_APP_ID,
        testKey: DEMO_TEST_KEY,
      },
      apiUrl: stack.apiUrl,
      endpoints: stack.endpoints,
      startupMs: stack.startupMs,
      dataDir: (values['in-memory'] ?? false) ? undefined : env.LOCAL_DATA_DIR,
    }),
  );
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write('\nStopping the local stack…\n');
    void stack.stop().then(() => process.exit(0));
  });
}
