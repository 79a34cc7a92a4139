/** The P2P functions' wiring: adapters built once per cold start, each on first use. */
import { z } from 'zod';
import { documentClient, stepFunctions } from '../../shared/adapters/aws/clients.js';
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
import { nonEmpty, readEnv } from '../../shared/config.js';
import { parseThresholds } from '../../shared/domain/mfa.js';
import { CurrencyPolicy } from '../../shared/domain/money.js';
import { once } from '../../shared/lazy.js';

const env = readEnv(
  z.object({
    TABLE_NAME: nonEmpty,
    P2P_STATE_MACHINE_ARN: nonEmpty,
    ENABLED_CURRENCIES: z.string().default('USD,EUR,GBP,JPY,KWD'),
    P2P_ACCEPTANCE_WINDOW_SECONDS: z.coerce.number().int().positive().default(86_400),
    MFA_THRESHOLDS: z.string().default('USD:5000'),
  }),
);

export const p2pDeps = once(
  (): P2pDeps => ({
    transfers: new DynamoDbP2pTransfers(documentClient(), env.TABLE_NAME),
    wallets: new DynamoDbWalletDirectory(documentClient(), env.TABLE_NAME, randomIds),
    ledger: new DynamoDbLedger(documentClient(), env.TABLE_NAME),
    rooms: new MatrixRoomDirectory(matrixHomeserverUrl(), () => loadMatrixAccessToken()),
    lifecycle: new StepFunctionsWorkflows(stepFunctions(), env.P2P_STATE_MACHINE_ARN),
    currencies: CurrencyPolicy.fromList(env.ENABLED_CURRENCIES),
    ids: randomIds,
    clock: { now: () => new Date() },
    windowSeconds: env.P2P_ACCEPTANCE_WINDOW_SECONDS,
    stepUp: {
      thresholds: parseThresholds(env.MFA_THRESHOLDS),
      stepUps: new DynamoDbStepUps(documentClient(), env.TABLE_NAME),
      crypto: { hashStepUpToken },
      clock: { now: () => new Date() },
    },
  }),
);
