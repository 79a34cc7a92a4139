/**
 * The payment functions' wiring: adapters built once per cold start, each on first use.
 */
import { z } from 'zod';
import { documentClient, stepFunctions } from '../../shared/adapters/aws/clients.js';
import { systemClock } from '../../shared/adapters/clock.js';
import { DynamoDbLedger } from '../../shared/adapters/dynamodb/ledger.js';
import { DynamoDbMfaFactors } from '../../shared/adapters/dynamodb/mfa.js';
import { DynamoDbPayments } from '../../shared/adapters/dynamodb/payments.js';
import { DynamoDbProviderCustomers } from '../../shared/adapters/dynamodb/provider-customers.js';
import { DynamoDbWalletDirectory } from '../../shared/adapters/dynamodb/wallets.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { loadMatrixAccessToken, matrixHomeserverUrl } from '../../shared/adapters/matrix/config.js';
import { MatrixRoomDirectory } from '../../shared/adapters/matrix/room-directory.js';
import { StepFunctionsWorkflows } from '../../shared/adapters/stepfunctions/workflows.js';
import type { LifecycleDeps } from '../../shared/app/payments/lifecycle.js';
import type { PaymentPolicy } from '../../shared/app/payments/policy.js';
import { paymentProvider } from '../../shared/composition/providers.js';
import { readEnv, readTableName } from '../../shared/config.js';
import { parseThresholds } from '../../shared/domain/mfa.js';
import { CurrencyPolicy, DEFAULT_ENABLED_CURRENCIES } from '../../shared/domain/money.js';
import { once } from '../../shared/lazy.js';

const tableName = readTableName();
const env = readEnv(
  z.object({
    PAYMENT_STATE_MACHINE_ARN: z.string().optional(),
    ENABLED_CURRENCIES: z.string().default(DEFAULT_ENABLED_CURRENCIES),
    MFA_THRESHOLDS: z.string().default('USD:5000'),
    MFA_VELOCITY_LIMIT: z.coerce.number().int().positive().default(10),
    MFA_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(300),
    PROVIDER_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(3_600),
  }),
);

export const clock = systemClock;
export const ids = randomIds;
export const currencies = once(() => CurrencyPolicy.fromList(env.ENABLED_CURRENCIES));
export const policy = once(
  (): PaymentPolicy => ({
    mfaThresholds: parseThresholds(env.MFA_THRESHOLDS),
    mfaVelocityLimit: env.MFA_VELOCITY_LIMIT,
    mfaTimeoutSeconds: env.MFA_TIMEOUT_SECONDS,
    providerTimeoutSeconds: env.PROVIDER_TIMEOUT_SECONDS,
  }),
);
export const payments = once(() => new DynamoDbPayments(documentClient(), tableName));
export const ledger = once(() => new DynamoDbLedger(documentClient(), tableName));
export const mfaFactors = once(() => new DynamoDbMfaFactors(documentClient(), tableName));
export const wallets = once(() => new DynamoDbWalletDirectory(documentClient(), tableName, randomIds));
export const providerCustomers = once(() => new DynamoDbProviderCustomers(documentClient(), tableName));
export const rooms = once(
  () => new MatrixRoomDirectory(matrixHomeserverUrl(), () => loadMatrixAccessToken()),
);
export const workflows = once(() => {
  if (env.PAYMENT_STATE_MACHINE_ARN === undefined) throw new Error('PAYMENT_STATE_MACHINE_ARN is not set');
  return new StepFunctionsWorkflows(stepFunctions(), env.PAYMENT_STATE_MACHINE_ARN);
});

/** The card processor, with retries and the shared circuit breaker (built once). */
export { paymentProvider };

export async function lifecycleDeps(): Promise<LifecycleDeps> {
  return {
    payments: payments(),
    wallets: wallets(),
    ledger: ledger(),
    provider: await paymentProvider(),
    workflows: workflows(),
    clock,
  };
}
