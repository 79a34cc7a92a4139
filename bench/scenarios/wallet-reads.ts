/**
 * Wallet reads over the local HTTP API: `GET /payments/v1/user/{userId}/balance` → 200 (the wallet, then
 * its accounts by owner). One operation = one request. A pool of users with a funded wallet (a card top-up
 * each, not measured) is prepared once; the requests go round the pool.
 */
import { type BenchStack, measure, type RunResult } from '../harness.js';
import type { ScenarioResult, StackRunOptions, StackScenario } from '../scenario.js';
import { callApi, waitForSilence } from './stack-http.js';
import { prepareUsers } from './topups.js';

const POOL_SIZE = 16;
const QUIET_MS = 1_500;
const SETTLE_MAX_MS = 30_000;

const DESCRIPTION = `Wallet balance read: GET /payments/v1/user/{userId}/balance → 200, round a pool of ${POOL_SIZE} funded wallets; 1 op = 1 request`;

export const walletReadsScenario: StackScenario = {
  kind: 'stack',
  name: 'wallet-reads',
  description: DESCRIPTION,
  defaults: { ops: 100, opsPerSlot: 2, concurrency: [1, 16, 64] },
  run: runWalletReads,
};

async function runWalletReads(stack: BenchStack, options: StackRunOptions): Promise<ScenarioResult> {
  const context = stack.context;
  if (context === undefined) throw new Error('wallet-reads needs the HTTP API: start the full local stack');
  options.progress(`preparing ${POOL_SIZE} funded wallets (not measured)…`);
  const users = await prepareUsers(context, `reads-${Date.now().toString(36)}`, POOL_SIZE, 'wallet-reads');
  await waitForSilence(stack, QUIET_MS, SETTLE_MAX_MS);

  const operation = async (index: number) => {
    const user = users[index % users.length] as (typeof users)[number];
    const balance = await callApi<{ balances?: unknown }>(
      context,
      user,
      'GET',
      `/payments/v1/user/${encodeURIComponent(user.userId)}/balance`,
      [200],
      'GET /payments/v1/user/{userId}/balance',
    );
    if (!Array.isArray(balance.balances) || balance.balances.length === 0) {
      throw new Error('GET /payments/v1/user/{userId}/balance: no balance in the answer');
    }
  };
  const runs: RunResult[] = [];
  for (const concurrency of options.concurrency) {
    const ops = options.opsAt(concurrency);
    options.progress(`${ops} balance reads at concurrency ${concurrency}…`);
    runs.push(
      await measure(stack, walletReadsScenario, operation, { ops, concurrency, warmup: options.warmup }),
    );
  }
  return {
    scenario: walletReadsScenario.name,
    description: DESCRIPTION,
    runs,
    notes: [
      `A pool of ${POOL_SIZE} users, each with a wallet funded by one card top-up (not measured), read in turn; ${options.warmup} unmeasured reads before each level (--warmup).`,
    ],
  };
}
