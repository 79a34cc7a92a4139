/**
 * Every benchmark scenario, by the name `npm run bench -- --scenario <name>` takes, in the order a full run
 * takes them. Add one line per scenario. `wallet-history` comes last: it leaves 100,000 seeded entries in the
 * table, which the others should not run beside.
 */
import type { Scenario } from '../scenario.js';
import { giftsScenario } from './gifts.js';
import { healthScenario } from './health.js';
import { ledgerScenario } from './ledger.js';
import { p2pScenario } from './p2p.js';
import { paymentsMfaScenario, paymentsNoMfaScenario } from './payments.js';
import { refundsScenario } from './refunds.js';
import { topupsScenario } from './topups.js';
import { walletHistoryScenario } from './wallet-history.js';
import { walletReadsScenario } from './wallet-reads.js';

export const scenarios: Readonly<Record<string, Scenario>> = {
  health: healthScenario,
  ledger: ledgerScenario,
  'wallet-reads': walletReadsScenario,
  topups: topupsScenario,
  'payments-no-mfa': paymentsNoMfaScenario,
  'payments-mfa': paymentsMfaScenario,
  refunds: refundsScenario,
  p2p: p2pScenario,
  gifts: giftsScenario,
  'wallet-history': walletHistoryScenario,
};
