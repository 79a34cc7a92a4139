import { z } from 'zod';
import { documentClient, stepFunctions } from '../../shared/adapters/aws/clients.js';
import { DynamoDbPayments } from '../../shared/adapters/dynamodb/payments.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { StepFunctionsWorkflows } from '../../shared/adapters/stepfunctions/workflows.js';
import { mfaStatus } from '../../shared/app/mfa/mfa-status.js';
import { startChallenge } from '../../shared/app/mfa/start-challenge.js';
import { verifyChallenge } from '../../shared/app/mfa/verify-challenge.js';
import { httpHandler } from '../../shared/composition/http.js';
import { nonEmpty, readEnv, readTableName } from '../../shared/config.js';
import { byRoute } from '../../shared/http/handler.js';
import { ChallengeRequest, VerifyRequest } from '../../shared/http/schemas/mfa.js';
import { PaymentIdParams } from '../../shared/http/schemas/payments.js';
import { paymentView } from '../../shared/http/views/payment.js';
import { once } from '../../shared/lazy.js';
import { attempts, challenges, factors, mfaCrypto, secrets, systemClock } from './context.js';

const tableName = readTableName();
const env = readEnv(z.object({ PAYMENT_STATE_MACHINE_ARN: nonEmpty }));

const deps = once(() => ({
  payments: new DynamoDbPayments(documentClient(), tableName),
  workflows: new StepFunctionsWorkflows(stepFunctions(), env.PAYMENT_STATE_MACHINE_ARN),
  factors: factors(),
  challenges: challenges(),
  attempts: attempts(),
  secrets: secrets(),
  crypto: mfaCrypto,
  ids: randomIds,
  clock: systemClock,
}));

const challenge = httpHandler({ params: PaymentIdParams, body: ChallengeRequest }, async (request) => ({
  status: 201,
  body: await startChallenge(
    { userId: request.caller().userId, paymentId: request.params.paymentId, method: request.body.method },
    deps(),
  ),
}));

const verify = httpHandler({ params: PaymentIdParams, body: VerifyRequest }, async (request) => {
  const { challengeId, ...answer } = request.body;
  const { payment, methods } = await verifyChallenge(
    { userId: request.caller().userId, paymentId: request.params.paymentId, challengeId, answer },
    deps(),
  );
  return { status: 200, body: paymentView(payment, request.url, methods) };
});

const status = httpHandler({ params: PaymentIdParams }, async (request) => ({
  status: 200,
  body: await mfaStatus(request.caller().userId, request.params.paymentId, deps()),
}));

export const handler = byRoute('mfaChallenges', {
  'POST /payments/v1/{paymentId}/mfa/challenge': challenge,
  'POST /payments/v1/{paymentId}/mfa/verify': verify,
  'GET /payments/v1/{paymentId}/mfa/status': status,
});
