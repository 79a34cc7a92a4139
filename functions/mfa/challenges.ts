import { systemClock } from '../../shared/adapters/clock.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { mfaStatus } from '../../shared/app/mfa/mfa-status.js';
import { startChallenge } from '../../shared/app/mfa/start-challenge.js';
import { verifyChallenge } from '../../shared/app/mfa/verify-challenge.js';
import { httpHandler } from '../../shared/composition/http.js';
import { mfaAttempts, mfaChallenges, mfaFactors } from '../../shared/composition/mfa.js';
import { mfaCrypto, mfaSecrets } from '../../shared/composition/mfa-crypto.js';
import { payments } from '../../shared/composition/payments.js';
import { workflows } from '../../shared/composition/workflows.js';
import { byRoute } from '../../shared/http/handler.js';
import { ChallengeRequest, VerifyRequest } from '../../shared/http/schemas/mfa.js';
import { PaymentIdParams } from '../../shared/http/schemas/payments.js';
import { paymentView } from '../../shared/http/views/payment.js';

const deps = {
  payments: payments(),
  workflows: workflows('payment'),
  factors: mfaFactors(),
  challenges: mfaChallenges(),
  attempts: mfaAttempts(),
  secrets: mfaSecrets(),
  crypto: mfaCrypto,
  ids: randomIds,
  clock: systemClock,
};

const challenge = httpHandler({ params: PaymentIdParams, body: ChallengeRequest }, async (request) => ({
  status: 201,
  body: await startChallenge(
    { userId: request.caller().userId, paymentId: request.params.paymentId, method: request.body.method },
    deps,
  ),
}));

const verify = httpHandler({ params: PaymentIdParams, body: VerifyRequest }, async (request) => {
  const { challengeId, ...answer } = request.body;
  const { payment, methods } = await verifyChallenge(
    { userId: request.caller().userId, paymentId: request.params.paymentId, challengeId, answer },
    deps,
  );
  return { status: 200, body: paymentView(payment, request.url, methods) };
});

const status = httpHandler({ params: PaymentIdParams }, async (request) => ({
  status: 200,
  body: await mfaStatus(request.caller().userId, request.params.paymentId, deps),
}));

export const handler = byRoute('mfaChallenges', {
  'POST /payments/v1/{paymentId}/mfa/challenge': challenge,
  'POST /payments/v1/{paymentId}/mfa/verify': verify,
  'GET /payments/v1/{paymentId}/mfa/status': status,
});
