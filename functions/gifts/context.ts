/** The gift functions' wiring: adapters built once per cold start, each on first use. */
import { z } from 'zod';
import { documentClient, stepFunctions } from '../../shared/adapters/aws/clients.js';
import { systemClock } from '../../shared/adapters/clock.js';
import { secureRandomInt } from '../../shared/adapters/crypto/random.js';
import { hashStepUpToken } from '../../shared/adapters/crypto/step-up-token.js';
import { fullJitter } from '../../shared/adapters/dynamodb/conflicts.js';
import { DynamoDbGiftStore } from '../../shared/adapters/dynamodb/gifts.js';
import { DynamoDbLedger } from '../../shared/adapters/dynamodb/ledger.js';
import { DynamoDbStepUps } from '../../shared/adapters/dynamodb/mfa.js';
import { DynamoDbWalletDirectory } from '../../shared/adapters/dynamodb/wallets.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { loadMatrixAccessToken, matrixHomeserverUrl } from '../../shared/adapters/matrix/config.js';
import { MatrixRoomDirectory } from '../../shared/adapters/matrix/room-directory.js';
import { StepFunctionsWorkflows } from '../../shared/adapters/stepfunctions/workflows.js';
import type { GiftDeps } from '../../shared/app/gifts/gifts.js';
import { nonEmpty, readEnv, readTableName } from '../../shared/config.js';
import { parseThresholds } from '../../shared/domain/mfa.js';
import { CurrencyPolicy, DEFAULT_ENABLED_CURRENCIES } from '../../shared/domain/money.js';
import { once } from '../../shared/lazy.js';

/** Openers who lost a share to another wait 0–10 ms, then 0–20 ms, … up to 0–200 ms before the next try. */
const CONTENTION_BACKOFF = { baseDelayMs: 25, maxDelayMs: 1000 };

const tableName = readTableName();
const env = readEnv(
  z.object({
    GIFT_STATE_MACHINE_ARN: nonEmpty,
    ENABLED_CURRENCIES: z.string().default(DEFAULT_ENABLED_CURRENCIES),
    GIFT_MIN_LIFETIME_SECONDS: z.coerce.number().int().positive().default(60),
    MFA_THRESHOLDS: z.string().default('USD:5000'),
  }),
);

export const giftDeps = once((): GiftDeps => {
  const ledger = new DynamoDbLedger(documentClient(), tableName);
  return {
    gifts: new DynamoDbGiftStore(documentClient(), tableName, ledger),
    wallets: new DynamoDbWalletDirectory(documentClient(), tableName, randomIds),
    rooms: new MatrixRoomDirectory(matrixHomeserverUrl(), () => loadMatrixAccessToken()),
    lifecycle: new StepFunctionsWorkflows(stepFunctions(), env.GIFT_STATE_MACHINE_ARN),
    currencies: CurrencyPolicy.fromList(env.ENABLED_CURRENCIES),
    ids: randomIds,
    clock: systemClock,
    randomInt: secureRandomInt,
    minLifetimeSeconds: env.GIFT_MIN_LIFETIME_SECONDS,
    backoff: (attempt) => fullJitter(attempt, CONTENTION_BACKOFF),
    stepUp: {
      thresholds: parseThresholds(env.MFA_THRESHOLDS),
      stepUps: new DynamoDbStepUps(documentClient(), tableName),
      crypto: { hashStepUpToken },
      clock: systemClock,
    },
  };
});
