/**
 * The PaymentIntents use cases' dependencies, as /v1/payment_intents, the capture window's task, invoices and
 * hosted checkout use them; only where a manual-capture authorization waits differs between them.
 */
import { systemClock } from '../adapters/clock.js';
import { randomIds } from '../adapters/ids.js';
import type { PaymentIntentDeps } from '../app/payment-intents/common.js';
import type { CaptureWindow } from '../app/payment-intents/ports.js';
import { paymentIntentView } from '../http/views/payment-intents.js';
import { merchantLedger } from './balance.js';
import { merchants } from './merchants.js';
import { captureWindowSeconds, intentCustomers, paymentIntents } from './payment-intents.js';
import { paymentProvider } from './providers.js';
import { currencies } from './settings.js';

export async function paymentIntentDeps(captureWindow: CaptureWindow): Promise<PaymentIntentDeps> {
  return {
    intents: paymentIntents(),
    provider: await paymentProvider(),
    customers: intentCustomers(),
    merchants: merchants(),
    captureWindow,
    currencies: currencies(),
    ids: randomIds,
    clock: systemClock,
    captureWindowSeconds: captureWindowSeconds(),
    objectView: paymentIntentView,
    ledger: merchantLedger(),
  };
}
