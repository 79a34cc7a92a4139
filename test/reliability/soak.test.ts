/**
 * Soak: a seeded random mix of every money operation — card top-ups (some declined), wallet and card
 * payments with and without MFA (transaction PIN, now and then a wrong one first), full, partial and racing
 * refunds, P2P transfers accepted, rejected, cancelled, raced and left to expire, group gifts opened out,
 * over-opened, re-opened and left to expire — from SOAK_USERS users at SOAK_CONCURRENCY at once, against the
 * shared local stack, over HTTP. Then, once everything has settled (observed, not slept on): the ledger
 * invariant holds, no wallet is negative or holding anything, every payment, transfer and gift has ended,
 * every balance equals what the accepted operations imply, every refusal was legitimate, and no request
 * answered 5xx; and every read of a payment, transfer or gift along the way agreed with its money in the
 * ledger (soak-agreement.ts). SOAK_MERCHANTS merchants are onboarded to active for the run, the mix pays
 * their live apps too, and they read their balances with their live keys while it runs; at the end each
 * one's balance, balance transactions and ledger accounts equal what its payments and refunds imply, fees
 * by API.md (soak-merchants.ts). The seed is in every failure message; soak-config.ts says how to replay or grow a run.
 */
import { apiUrl, endpoint, tokenFor } from '../support/api.js';
import { ledgerProblems } from '../support/ledger.js';
import { AgreementCheck } from './support/soak-agreement.js';
import { inPool, newUser, StackClient, Tally, type User } from './support/soak-client.js';
import { readSoakConfig, replayHint } from './support/soak-config.js';
import {
  judgeMerchants,
  readMerchantEnds,
  readWhileMixing,
  setUpMerchants,
  waitForSettlement,
} from './support/soak-merchants.js';
import { SoakModel } from './support/soak-model.js';
import { INITIAL_FUNDING, operationsOf, PIN, planSoak } from './support/soak-plan.js';
import { runScript, type SoakContext } from './support/soak-run.js';
import { judge, waitForQuiescence } from './support/soak-verify.js';

const config = readSoakConfig();
const replay = replayHint(config);
/** Generous for the CI size on a loaded 2-core machine; a longer run scales it. */
const TIMEOUT_MS = 240_000 + config.operations * 150;

async function setUp(client: StackClient, runTag: string): Promise<{ users: User[]; rooms: string[] }> {
  const users = await Promise.all(
    Array.from({ length: config.users }, (_, index) =>
      newUser(index, `@soak-${runTag}-u${index}:tween.example`),
    ),
  );
  const rooms = Array.from({ length: config.rooms }, (_, index) => `!soak-${runTag}-r${index}:tween.example`);
  for (const room of rooms) {
    await inPool(users, 16, async (user) => {
      const joined = await client.request(
        undefined,
        'PUT',
        `/local/matrix/rooms/${encodeURIComponent(room)}/members/${user.path}`,
      );
      if (joined.status !== 200) throw new Error(`Joining ${room} answered ${joined.status}`);
    });
  }
  await inPool(users, config.concurrency, async (user) => {
    const pin = await client.request('setup.pin', 'PUT', `/payments/v1/user/${user.path}/mfa/pin`, {
      token: user.token,
      body: { pin: PIN },
    });
    const topup = await client.request<{ status: string }>('setup.topup', 'POST', '/wallet/v1/topup', {
      token: user.token,
      idempotencyKey: `${runTag}-setup-${user.index}`,
      body: { amount: INITIAL_FUNDING, currency: 'USD', paymentMethod: { type: 'card', id: 'pm_card_visa' } },
    });
    if (pin.status !== 200 || topup.status !== 201 || topup.body.status !== 'succeeded') {
      throw new Error(`Setting up ${user.userId} answered ${pin.status} and ${topup.status} (${replay})`);
    }
  });
  return { users, rooms };
}

describe('Reliability: soak', () => {
  it(
    'keeps the ledger, every wallet and every lifecycle consistent through a seeded mix of every operation',
    async () => {
      // Arrange
      const started = performance.now();
      const runTag = `${config.seed.toString(36)}${Date.now().toString(36)}`;
      const tally = new Tally();
      const agreement = new AgreementCheck();
      const client = new StackClient(apiUrl(), tally, undefined, agreement);
      const { users, rooms } = await setUp(client, runTag);
      const opsToken = await tokenFor(`@soak-${runTag}-ops:tween.example`, { roles: ['ops'] });
      const merchants = await setUpMerchants(client, runTag, config.merchants, opsToken);
      const model = new SoakModel(config.users);
      const scripts = planSoak(config);
      const ctx: SoakContext = {
        client,
        users,
        rooms,
        model,
        runTag,
        appId: 'app_soak',
        merchants,
        opsToken,
      };
      const setupMs = performance.now() - started;

      // Act
      let mixed = false;
      const reads = readWhileMixing(client, merchants, model, () => mixed);
      await inPool(scripts, config.concurrency, (script) => runScript(ctx, script)).finally(() => {
        mixed = true;
      });
      await reads;
      const mixMs = performance.now() - started - setupMs;
      const end = await waitForQuiescence(client, model, users, {
        stripeUrl: endpoint('stripe'),
        opsToken,
        timeoutMs: 90_000,
      });
      const unsettled = await waitForSettlement(client, merchants, 30_000);
      const settleMs = performance.now() - started - setupMs - mixMs;
      const problems = [
        ...judge(model, end, users, INITIAL_FUNDING),
        ...unsettled,
        ...judgeMerchants(model, end.payments, await readMerchantEnds(client, merchants)),
      ];
      const ledger = await ledgerProblems();
      process.stdout.write(
        summary({
          operations: scripts.reduce((sum, script) => sum + operationsOf(script), 0),
          scripts: scripts.length,
          setupMs,
          mixMs,
          settleMs,
          tally,
          intents: model.intents,
          problems,
        }),
      );

      // Assert
      expect({ replay, serverErrors: tally.serverErrors() }).toEqual({ replay, serverErrors: [] });
      expect({ replay, problems: problems.slice(0, 40) }).toEqual({ replay, problems: [] });
      expect({ replay, ledger }).toEqual({ replay, ledger: [] });
      // Every read of a payment, transfer or gift agreed with its money (soak-agreement.ts).
      expect(agreement.reads).toBeGreaterThan(0);
      expect({ replay, disagreements: agreement.problems.slice(0, 40) }).toEqual({
        replay,
        disagreements: [],
      });
    },
    TIMEOUT_MS,
  );
});

function summary(run: {
  operations: number;
  scripts: number;
  setupMs: number;
  mixMs: number;
  settleMs: number;
  tally: Tally;
  intents: ReadonlyMap<string, number>;
  problems: readonly string[];
}): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const intents = [...run.intents].sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(...intents.map(([name]) => name.length), 6);
  return [
    `\nSoak (${replay})`,
    `  ${run.operations} operations in ${run.scripts} scripts: setup ${seconds(run.setupMs)}, mix ${seconds(run.mixMs)} (${(
      run.operations / (run.mixMs / 1000)
    ).toFixed(1)} ops/s), settling ${seconds(run.settleMs)}; ${run.problems.length} problems`,
    // Printed here too: a 5xx fails the run on the first assertion, before the problems are shown.
    ...run.problems.slice(0, 40).map((problem) => `  ! ${problem}`),
    'Accepted, by what the client set out to do',
    ...intents.map(([name, count]) => `  ${name.padEnd(width)}  ${count}`),
    run.tally.table('Answers, by operation and outcome'),
  ].join('\n');
}
