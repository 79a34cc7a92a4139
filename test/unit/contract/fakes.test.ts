/** The contract case lists of test/contract run against the in-memory fakes (each case builds its own). */
import { disputesContract } from '../../contract/disputes.cases.js';
import { ledgerContract } from '../../contract/ledger.cases.js';
import { p2pTransfersContract } from '../../contract/p2p-transfers.cases.js';
import { paymentsContract } from '../../contract/payments.cases.js';
import { topupsContract } from '../../contract/topups.cases.js';
import { InMemoryDisputes } from '../../support/fakes/disputes.js';
import { InMemoryP2pTransfers } from '../../support/fakes/p2p-transfers.js';
import { InMemoryPayments } from '../../support/fakes/payments.js';
import { InMemoryTopups } from '../../support/fakes/topups.js';
import { InMemoryLedger } from '../../support/in-memory-ledger.js';

describe('Contract: in-memory fakes', () => {
  ledgerContract(() => ({ ledger: new InMemoryLedger() }));
  topupsContract(() => {
    const ledger = new InMemoryLedger();
    return { ledger, topups: new InMemoryTopups(ledger) };
  });
  disputesContract(() => {
    const ledger = new InMemoryLedger();
    return { ledger, disputes: new InMemoryDisputes(ledger) };
  });
  paymentsContract(() => {
    const ledger = new InMemoryLedger();
    return { ledger, payments: new InMemoryPayments(ledger) };
  });
  p2pTransfersContract(() => {
    const ledger = new InMemoryLedger();
    return { ledger, transfers: new InMemoryP2pTransfers(ledger) };
  });
});
