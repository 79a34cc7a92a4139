/** The merchant owner's push devices (POST /merchant/v1/merchants/{id}/devices). */
import { systemClock } from '../../shared/adapters/clock.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { registerDevice } from '../../shared/app/notifications/queries.js';
import { httpHandler } from '../../shared/composition/http.js';
import { merchants } from '../../shared/composition/merchants.js';
import { deviceStore, pushChannel } from '../../shared/composition/notifications.js';
import { byRoute } from '../../shared/http/handler.js';
import { MerchantIdParams } from '../../shared/http/schemas/merchants.js';
import { RegisterDeviceRequest } from '../../shared/http/schemas/notifications.js';
import { deviceView } from '../../shared/http/views/notifications.js';

const deps = { merchants: merchants(), devices: deviceStore(), ids: randomIds, clock: systemClock };

const register = httpHandler({ params: MerchantIdParams, body: RegisterDeviceRequest }, async (request) => {
  const device = await registerDevice(request.caller(), request.params.merchantId, request.body, {
    ...deps,
    push: pushChannel(),
  });
  return { status: 201, body: deviceView(device) };
});

export const handler = byRoute('merchantDevices', {
  'POST /merchant/v1/merchants/{merchantId}/devices': register,
});
