import { systemClock } from '../../shared/adapters/clock.js';
import { enrolDevice } from '../../shared/app/mfa/enrol-device.js';
import { enrolPin } from '../../shared/app/mfa/enrol-pin.js';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../shared/app/mfa/enrol-totp.js';
import { startStepUpChallenge, stepUp } from '../../shared/app/mfa/step-up.js';
import { httpHandler } from '../../shared/composition/http.js';
import { mfaAttempts, mfaFactors } from '../../shared/composition/mfa.js';
import { mfaCrypto, mfaSecrets } from '../../shared/composition/mfa-crypto.js';
import { stepUps } from '../../shared/composition/step-ups.js';
import { byRoute } from '../../shared/http/handler.js';
import {
  DeviceRequest,
  PinRequest,
  StepUpChallengeRequest,
  StepUpRequest,
  TotpConfirmRequest,
} from '../../shared/http/schemas/mfa.js';
import { UserIdParams } from '../../shared/http/schemas/wallets.js';

const deps = {
  factors: mfaFactors(),
  attempts: mfaAttempts(),
  stepUps: stepUps(),
  secrets: mfaSecrets(),
  crypto: mfaCrypto,
  clock: systemClock,
};

const STEP_UP_HEADER = 'x-step-up-token';

const pin = httpHandler({ params: UserIdParams, body: PinRequest }, async (request) => ({
  status: 200,
  body: await enrolPin(
    {
      callerId: request.caller().userId,
      userId: request.params.userId,
      pin: request.body.pin,
      stepUpToken: request.headers[STEP_UP_HEADER],
    },
    deps,
  ),
}));

const totp = httpHandler({ params: UserIdParams }, async (request) => ({
  status: 201,
  body: await startTotpEnrolment(
    {
      callerId: request.caller().userId,
      userId: request.params.userId,
      stepUpToken: request.headers[STEP_UP_HEADER],
    },
    deps,
  ),
}));

const confirmTotp = httpHandler({ params: UserIdParams, body: TotpConfirmRequest }, async (request) => ({
  status: 200,
  body: await confirmTotpEnrolment(
    { callerId: request.caller().userId, userId: request.params.userId, code: request.body.code },
    deps,
  ),
}));

const device = httpHandler({ params: UserIdParams, body: DeviceRequest }, async (request) => ({
  status: 201,
  body: await enrolDevice(
    {
      callerId: request.caller().userId,
      userId: request.params.userId,
      ...request.body,
      stepUpToken: request.headers[STEP_UP_HEADER],
    },
    deps,
  ),
}));

const stepUpToken = httpHandler({ params: UserIdParams, body: StepUpRequest }, async (request) => {
  const { purpose, method, amount, currency, ...answer } = request.body;
  return {
    status: 201,
    body: await stepUp(
      {
        callerId: request.caller().userId,
        userId: request.params.userId,
        purpose,
        method,
        answer,
        amount,
        currency,
      },
      deps,
    ),
  };
});

const stepUpChallenge = httpHandler(
  { params: UserIdParams, body: StepUpChallengeRequest },
  async (request) => ({
    status: 201,
    body: await startStepUpChallenge(
      { callerId: request.caller().userId, userId: request.params.userId, ...request.body },
      deps,
    ),
  }),
);

export const handler = byRoute('mfaEnrolment', {
  'PUT /payments/v1/user/{userId}/mfa/pin': pin,
  'POST /payments/v1/user/{userId}/mfa/totp': totp,
  'POST /payments/v1/user/{userId}/mfa/totp/confirm': confirmTotp,
  'POST /payments/v1/user/{userId}/mfa/devices': device,
  'POST /payments/v1/user/{userId}/mfa/step-up': stepUpToken,
  'POST /payments/v1/user/{userId}/mfa/step-up/challenge': stepUpChallenge,
});
