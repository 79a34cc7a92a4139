/** Every benchmark scenario, by the name `npm run bench -- --scenario <name>` takes. Add one line per scenario. */
import type { Scenario } from '../scenario.js';
import { giftsScenario } from './gifts.js';
import { healthScenario } from './health.js';
import { ledgerScenario } from './ledger.js';
import { p2pScenario } from './p2p.js';
import { paymentsMfaScenario, paymentsNoMfaScenario } from './payments.js';

export const scenarios: Readonly<Record<string, Scenario>> = {
  health: healthScenario,
  ledger: ledgerScenario,
  'payments-no-mfa': paymentsNoMfaScenario,
  'payments-mfa': paymentsMfaScenario,
  p2p: p2pScenario,
  gifts: giftsScenario,
};
