/** The contract case lists of test/contract run against the in-memory fakes (each case builds its own). */
import {
  providerCustomersContract,
  savedCardsContract,
  walletsContract,
} from '../../contract/customers.cases.js';
import { disputesContract } from '../../contract/disputes.cases.js';
import { giftsContract } from '../../contract/gifts.cases.js';
import { ledgerContract } from '../../contract/ledger.cases.js';
import { p2pTransfersContract } from '../../contract/p2p-transfers.cases.js';
import { paymentsContract } from '../../contract/payments.cases.js';
import { topupsContract } from '../../contract/topups.cases.js';
import { webhookInboxContract } from '../../contract/webhook-inbox.cases.js';
import { fixedClock } from '../../support/fakes/clock.js';
import { InMemoryDisputes } from '../../support/fakes/disputes.js';
import { InMemoryGiftStore } from '../../support/fakes/gifts.js';
import { sequentialIds } from '../../support/fakes/ids.js';
import { InMemoryP2pTransfers } from '../../support/fakes/p2p-transfers.js';
import { InMemoryPayments } from '../../support/fakes/payments.js';
import { InMemoryProviderCustomers } from '../../support/fakes/provider-customers.js';
import { InMemorySavedCards } from '../../support/fakes/saved-cards.js';
import { InMemoryTopups } from '../../support/fakes/topups.js';
import { InMemoryWallets } from '../../support/fakes/wallets.js';
import { InMemoryWebhookInbox } from '../../support/fakes/webhook-inbox.js';
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
  webhookInboxContract(() => ({ inbox: new InMemoryWebhookInbox() }));
  walletsContract(() => ({
    wallets: new InMemoryWallets(sequentialIds(), fixedClock('2026-01-01T00:00:00.000Z')),
  }));
  providerCustomersContract(() => ({ customers: new InMemoryProviderCustomers() }));
  savedCardsContract(() => ({ cards: new InMemorySavedCards() }));
  giftsContract(() => {
    const ledger = new InMemoryLedger();
    return { ledger, gifts: new InMemoryGiftStore(ledger) };
  });
});
