/** The P2P functions' wiring: adapters built once per cold start, each on first use. */
import { z } from 'zod';
import { documentClient, stepFunctions } from '../../shared/adapters/aws/clients.js';
import { systemClock } from '../../shared/adapters/clock.js';
import { hashStepUpToken } from '../../shared/adapters/crypto/step-up-token.js';
import { DynamoDbLedger } from '../../shared/adapters/dynamodb/ledger.js';
import { DynamoDbStepUps } from '../../shared/adapters/dynamodb/mfa.js';
import { DynamoDbP2pTransfers } from '../../shared/adapters/dynamodb/p2p-transfers.js';
import { DynamoDbWalletDirectory } from '../../shared/adapters/dynamodb/wallets.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { loadMatrixAccessToken, matrixHomeserverUrl } from '../../shared/adapters/matrix/config.js';
import { MatrixRoomDirectory } from '../../shared/adapters/matrix/room-directory.js';
import { StepFunctionsWorkflows } from '../../shared/adapters/stepfunctions/workflows.js';
import type { P2pDeps } from '../../shared/app/p2p/transfers.js';
import { nonEmpty, readEnv, readTableName } from '../../shared/config.js';
import { parseThresholds } from '../../shared/domain/mfa.js';
import { CurrencyPolicy, DEFAULT_ENABLED_CURRENCIES } from '../../shared/domain/money.js';
import { once } from '../../shared/lazy.js';

const tableName = readTableName();
const env = readEnv(
  z.object({
    P2P_STATE_MACHINE_ARN: nonEmpty,
    ENABLED_CURRENCIES: z.string().default(DEFAULT_ENABLED_CURRENCIES),
    P2P_ACCEPTANCE_WINDOW_SECONDS: z.coerce.number().int().positive().default(86_400),
    MFA_THRESHOLDS: z.string().default('USD:5000'),
  }),
);

export const p2pDeps = once(
  (): P2pDeps => ({
    transfers: new DynamoDbP2pTransfers(documentClient(), tableName),
    wallets: new DynamoDbWalletDirectory(documentClient(), tableName, randomIds),
    ledger: new DynamoDbLedger(documentClient(), tableName),
    rooms: new MatrixRoomDirectory(matrixHomeserverUrl(), () => loadMatrixAccessToken()),
    lifecycle: new StepFunctionsWorkflows(stepFunctions(), env.P2P_STATE_MACHINE_ARN),
    currencies: CurrencyPolicy.fromList(env.ENABLED_CURRENCIES),
    ids: randomIds,
    clock: systemClock,
    windowSeconds: env.P2P_ACCEPTANCE_WINDOW_SECONDS,
    stepUp: {
      thresholds: parseThresholds(env.MFA_THRESHOLDS),
      stepUps: new DynamoDbStepUps(documentClient(), tableName),
      crypto: { hashStepUpToken },
      clock: systemClock,
    },
  }),
);
