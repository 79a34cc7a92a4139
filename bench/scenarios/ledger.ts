/**
 * The ledger on DynamoDB Local, in this process: posted transfers between random wallets through the use
 * case (`DynamoDbLedger.execute`, through the stack's counting proxy so its units are counted), beside raw
 * `TransactWriteItems` calls of the same five-item shape sent straight to the engine, at the same
 * concurrency levels, on the same wallets, in the same run. The ratio of the two is the headline.
 *
 * Order: fund the wallets, warm DynamoDB Local's JVM up, then per concurrency level run the use case and the
 * raw calls in alternating chunks inside one counted window (raw calls bypass the proxy, so the counters
 * hold the use case alone), and last a hot-account run (every transfer debits one wallet) at the highest
 * level. Every loop is bounded by an operation count; conflict retries by the adapter's policy and
 * RAW_MAX_ATTEMPTS.
 */
import { type DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isTransactionConflict } from '../../shared/adapters/dynamodb/conflicts.js';
import { DynamoDbLedger } from '../../shared/adapters/dynamodb/ledger.js';
import { type AccountRef, accounts } from '../../shared/domain/ledger.js';
import { lowLevelClient } from '../dynamodb.js';
import { type BenchStack, countedWindow, type RunResult, toRunResult } from '../harness.js';
import {
  comparisonTable,
  hotAccountTable,
  type PathRun,
  pairPicker,
  rawTransferItems,
  roundRatioRange,
  seededRandom,
  toPathRun,
  transactionalUnits,
} from '../ledger-bench.js';
import { mergeLoads, runInterleaved, runLoad } from '../load.js';
import { prices, unitPrice } from '../prices.js';
import type { Operation, ScenarioResult, StackRunOptions, StackScenario } from '../scenario.js';

const POOL_SIZE = 64;
const CURRENCY = 'USD';
/** Each wallet starts with $1,000,000; a transfer moves at most $10, so no run can drain one. */
const FUNDING = 100_000_000;
const MAX_TRANSFER = 1_000;
/** The raw baseline retries a conflicted transaction at once (no backoff), at most this many attempts. */
const RAW_MAX_ATTEMPTS = 12;
const SEED = 20_261_121;
/** Use case and raw alternate in this many chunks per level (ABBA...), so both see the same drift. */
const ROUNDS = 4;
/** Raw transactions sent before anything is measured (DynamoDB Local's JIT), at most... */
const ENGINE_WARMUP = 300;
/** ...and `--warmup` times this, so `--warmup 0` skips it. */
const ENGINE_WARMUP_PER_WARMUP_OP = 15;

const DESCRIPTION = `posted transfers between two random distinct wallets of ${POOL_SIZE} through the use case (DynamoDbLedger.execute: one TransactWriteItems of 5 items, conflict retries included, via the counting proxy), beside raw TransactWriteItems of the same shape sent straight to DynamoDB Local; 1 op = 1 transfer`;

export const ledgerScenario: StackScenario = {
  kind: 'stack',
  needs: 'dynamodb',
  name: 'ledger',
  description: DESCRIPTION,
  defaults: { ops: 100, concurrency: [1, 16, 64] },
  run: runLedger,
};

/** One way of making a transfer, with what it saw since its last reset. */
interface Path {
  /** Makes one transfer with a fresh id. */
  operation: Operation;
  /** Calls cancelled with TransactionConflict since the last reset. */
  conflicts(): number;
  /** Units the path counted itself (raw: ReturnConsumedCapacity); undefined for the use case. */
  units(): { read: number; write: number } | undefined;
  reset(): void;
}

async function runLedger(stack: BenchStack, options: StackRunOptions): Promise<ScenarioResult> {
  const { endpoint, engineEndpoint, tableName } = stack.dynamoDb;
  const sockets = Math.max(50, ...options.concurrency);
  const clients = {
    useCase: lowLevelClient(endpoint, sockets),
    hot: lowLevelClient(endpoint, sockets),
    engine: lowLevelClient(engineEndpoint, sockets),
  };
  try {
    const nonce = Date.now().toString(36);
    const wallets = Array.from({ length: POOL_SIZE }, (_, index) =>
      accounts.wallet(`bench-${nonce}-w${String(index).padStart(2, '0')}`, CURRENCY),
    );
    const random = seededRandom(SEED);
    let sequence = 0;
    const next = (tag: string) => {
      sequence += 1;
      return { id: `bench-${nonce}-${tag}-${sequence}`, amount: 1 + (sequence % MAX_TRANSFER) };
    };

    const useCasePath = (client: DynamoDBClient, mode: 'spread' | 'hot') => {
      const tally = countConflicts(client);
      const ledger = new DynamoDbLedger(
        DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
        tableName,
      );
      const pick = pairPicker(POOL_SIZE, mode, random);
      const path: Path = {
        conflicts: () => tally.count,
        units: () => undefined,
        reset: () => {
          tally.count = 0;
        },
        operation: async () => {
          const { debit, credit } = pick();
          const { id, amount } = next(mode === 'hot' ? 'hot' : 'uc');
          await ledger.execute({
            type: 'post',
            id,
            debit: wallets[debit] as AccountRef,
            credit: wallets[credit] as AccountRef,
            amount,
            code: 'p2p',
          });
        },
      };
      return { path, ledger };
    };

    const rawPath = (client: DynamoDBClient): Path => {
      const pick = pairPicker(POOL_SIZE, 'spread', random);
      const side = (wallet: AccountRef) => ({ accountId: wallet.id, historyOwner: wallet.historyOwner });
      let conflicts = 0;
      let units = { read: 0, write: 0 };
      return {
        conflicts: () => conflicts,
        units: () => units,
        reset: () => {
          conflicts = 0;
          units = { read: 0, write: 0 };
        },
        operation: async () => {
          const { debit, credit } = pick();
          const { id, amount } = next('raw');
          const command = new TransactWriteItemsCommand({
            TransactItems: rawTransferItems({
              tableName,
              transferId: id,
              debit: side(wallets[debit] as AccountRef),
              credit: side(wallets[credit] as AccountRef),
              amount,
              currency: CURRENCY,
              createdAt: new Date().toISOString(),
            }),
            ReturnConsumedCapacity: 'TOTAL',
          });
          for (let attempt = 1; ; attempt += 1) {
            try {
              const consumed = transactionalUnits((await client.send(command)).ConsumedCapacity);
              units = { read: units.read + consumed.read, write: units.write + consumed.write };
              return;
            } catch (error) {
              if (!isTransactionConflict(error)) throw error;
              conflicts += 1;
              if (attempt >= RAW_MAX_ATTEMPTS) throw error;
            }
          }
        },
      };
    };

    const { path: useCase, ledger } = useCasePath(clients.useCase, 'spread');
    const { path: hot } = useCasePath(clients.hot, 'hot');
    const raw = rawPath(clients.engine);

    options.progress(`funding ${POOL_SIZE} wallets…`);
    const clearing = accounts.providerClearing('stripe', CURRENCY);
    for (const [index, wallet] of wallets.entries()) {
      await ledger.execute({
        type: 'post',
        id: `bench-${nonce}-fund-${index}`,
        debit: clearing,
        credit: wallet,
        amount: FUNDING,
        code: 'topup',
      });
    }

    // DynamoDB Local is a JVM: its first few hundred transactions run at a fraction of the later rate.
    const engineWarmup = Math.min(ENGINE_WARMUP, options.warmup * ENGINE_WARMUP_PER_WARMUP_OP);
    if (engineWarmup > 0) {
      options.progress(`warming DynamoDB Local up with ${engineWarmup} raw transactions…`);
      await warmUp(raw, engineWarmup, 8);
    }

    const runs: RunResult[] = [];
    const useCaseRuns: PathRun[] = [];
    const rawRuns: PathRun[] = [];
    for (const concurrency of options.concurrency) {
      const ops = options.opsAt(concurrency);
      options.progress(
        `${ops} use-case transfers and ${ops} raw TransactWriteItems at concurrency ${concurrency}, alternating…`,
      );
      await warmUp(useCase, options.warmup, concurrency);
      await warmUp(raw, options.warmup, concurrency);
      const window = await countedWindow(stack, undefined, () => {
        useCase.reset();
        raw.reset();
        return runInterleaved([useCase.operation, raw.operation], ops, concurrency, ROUNDS);
      });
      const [useCaseRounds = [], rawRounds = []] = window.value;
      const useCaseLoad = mergeLoads(useCaseRounds);
      const rawLoad = mergeLoads(rawRounds);
      const counted = toRunResult(stack, ledgerScenario, { ops, concurrency }, useCaseLoad, window);
      runs.push(counted);
      const roundRatios = roundRatioRange(useCaseRounds, rawRounds);
      useCaseRuns.push({
        ...toPathRun(concurrency, ops, useCaseLoad, useCase.conflicts(), {
          write: counted.counters.dynamoWriteUnits,
          read: counted.counters.dynamoReadUnits,
        }),
        ...(roundRatios === undefined ? {} : { roundRatios }),
      });
      rawRuns.push(toPathRun(concurrency, ops, rawLoad, raw.conflicts(), raw.units()));
    }

    const top = Math.max(...options.concurrency);
    const hotOps = options.opsAt(top);
    options.progress(`${hotOps} hot-account transfers at concurrency ${top}…`);
    await warmUp(hot, options.warmup, top);
    hot.reset();
    const hotRun = toPathRun(top, hotOps, await runLoad(hot.operation, hotOps, top), hot.conflicts());

    const failures = [...rawRuns, hotRun].filter((run) => run.errors > 0);
    return {
      scenario: ledgerScenario.name,
      description: DESCRIPTION,
      runs,
      leadSections: [
        {
          title: 'Use case vs raw TransactWriteItems, same run (the ratio is the figure)',
          table: comparisonTable({
            useCase: useCaseRuns,
            raw: rawRuns,
            writeUnitUsd: unitPrice(prices.dynamoDbWriteRequestUnits),
            readUnitUsd: unitPrice(prices.dynamoDbReadRequestUnits),
          }),
        },
        {
          title: `Hot account: the use case with every transfer debiting one wallet, at c=${top} (after the levels above, not interleaved)`,
          table: hotAccountTable([hotRun], useCaseRuns),
        },
      ],
      ...(failures.length === 0
        ? {}
        : {
            sections: [
              {
                title: 'Errors outside the counted use-case runs',
                lines: failures.map(
                  (run) =>
                    `c=${run.concurrency}: ${run.errors} of ${run.ops} failed; first: ${(run.firstError ?? '?').slice(0, 200)}`,
                ),
              },
            ],
          }),
      notes: [
        `${POOL_SIZE} wallets are funded first (not measured); each transfer takes two distinct wallets at random (seeded), 1–${MAX_TRANSFER} minor units. Per level the use case and raw run in ${ROUNDS} alternating chunks (ABBA), each at the full concurrency, so both see the same machine; each figure is its own chunks' operations over their summed time.`,
        'The use case goes through the counting proxy (one more loopback hop and a JSON re-encode in this process) so its units are counted; raw goes straight to the engine. The Load/Counters/Cost tables are the use case alone.',
        `Raw: the same 5 items, hand-built, with no condition but attribute_not_exists on the transfer and no document-client marshalling; a conflicted one is retried at once, at most ${RAW_MAX_ATTEMPTS} attempts. The use case retries with the adapter's full-jitter backoff.`,
        'Transfers/s count committed transfers only; units per transfer are divided by committed transfers. A conflicted attempt returns no ConsumedCapacity, so it adds no units here.',
        'DynamoDB Local is not DynamoDB: its transaction throughput stops growing somewhere between c=1 and c=16 (latency grows instead), and it has not reported a TransactionConflict at any level, even on the hot account (it makes conflicting transactions wait rather than cancel them). So conflicts, retries and the hot-account penalty DynamoDB would show are not modelled here, and absolute rates say nothing about AWS: the ratio is the figure.',
        'Units: DynamoDB Local does not report a multi-item TransactWriteItems as the sum of its items, so the counting proxy prices transactions from their items: 2 write units per item per started KB (5 items of under 1 KB = 10 per transfer). Not included: the GSI1 entries written when an account is first created (standard rate), so the AWS bill is 10 to 12 write units per transfer.',
        'DynamoDB Local is a Java process; the clients and the counting proxy share this Node.js event loop (and, when other scenarios run too, the idle local stack).',
      ],
    };
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
}

/** Unmeasured calls; a failure stops the benchmark (a broken path measures nothing). */
async function warmUp(path: Path, count: number, concurrency: number): Promise<void> {
  if (count <= 0) return;
  const warm = await runLoad(path.operation, count, concurrency);
  if (warm.errors > 0) {
    throw new Error(`ledger: warm-up failed (${warm.errors} of ${count}): ${warm.firstError ?? ''}`);
  }
}

/** Counts calls that end in a TransactionConflict cancellation, in this client only (the adapter is unchanged). */
function countConflicts(client: DynamoDBClient): { count: number } {
  const tally = { count: 0 };
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (isTransactionConflict(error)) tally.count += 1;
        throw error;
      }
    },
    { step: 'initialize', name: 'benchConflictTally' },
  );
  return tally;
}
