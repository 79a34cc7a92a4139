import { enrolDevice } from '../../shared/app/mfa/enrol-device.js';
import { enrolPin } from '../../shared/app/mfa/enrol-pin.js';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../shared/app/mfa/enrol-totp.js';
import { byRoute, httpHandler } from '../../shared/http/handler.js';
import { DeviceRequest, PinRequest, TotpConfirmRequest } from '../../shared/http/schemas/mfa.js';
import { UserIdParams } from '../../shared/http/schemas/wallets.js';
import { factors, mfaCrypto, secrets, systemClock } from './context.js';

const deps = () => ({ factors: factors(), secrets: secrets(), crypto: mfaCrypto, clock: systemClock });

const pin = httpHandler({ params: UserIdParams, body: PinRequest }, async (request) => ({
  status: 200,
  body: await enrolPin(
    { callerId: request.caller().userId, userId: request.params.userId, pin: request.body.pin },
    deps(),
  ),
}));

const totp = httpHandler({ params: UserIdParams }, async (request) => ({
  status: 201,
  body: await startTotpEnrolment(
    { callerId: request.caller().userId, userId: request.params.userId },
    deps(),
  ),
}));

const confirmTotp = httpHandler({ params: UserIdParams, body: TotpConfirmRequest }, async (request) => ({
  status: 200,
  body: await confirmTotpEnrolment(
    { callerId: request.caller().userId, userId: request.params.userId, code: request.body.code },
    deps(),
  ),
}));

const device = httpHandler({ params: UserIdParams, body: DeviceRequest }, async (request) => ({
  status: 201,
  body: await enrolDevice(
    { callerId: request.caller().userId, userId: request.params.userId, ...request.body },
    deps(),
  ),
}));

export const handler = byRoute({
  'PUT /payments/v1/user/{userId}/mfa/pin': pin,
  'POST /payments/v1/user/{userId}/mfa/totp': totp,
  'POST /payments/v1/user/{userId}/mfa/totp/confirm': confirmTotp,
  'POST /payments/v1/user/{userId}/mfa/devices': device,
});
