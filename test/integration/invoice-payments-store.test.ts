/**
 * An invoice's move to `paid` is one transaction with its PaymentIntent's success and money, on DynamoDB
 * Local (a table of its own): the PaymentIntent store writes the invoice companion (DynamoDbInvoices
 * `paidWith`) with the intent, its ledger transfers and balance transaction. When the invoice changed
 * between the read and the write (voided meanwhile), nothing of the success is written: no read shows the
 * intent succeeded, or its money, without the invoice paid, nor the invoice paid without them.
 */
import { DynamoDbInvoices } from '../../shared/adapters/dynamodb/invoices.js';
import { DynamoDbMerchantBalances } from '../../shared/adapters/dynamodb/merchant-balances.js';
import {
  DynamoDbPaymentIntents,
  type SuccessCompanions,
} from '../../shared/adapters/dynamodb/payment-intents.js';
import type { PriceReader } from '../../shared/app/billing/ports.js';
import { createInvoice, finalizeInvoice, invoiceEvent } from '../../shared/app/invoices/invoices.js';
import { type PayDeps, payInvoice, subscriptionInvoicing } from '../../shared/app/invoices/pay.js';
import { ConcurrentModificationError } from '../../shared/domain/errors.js';
import {
  DEFAULT_FEE_TIERS,
  DEFAULT_PROCESSING_FEE,
  parseFeeTiers,
  parseProcessingFee,
} from '../../shared/domain/fees.js';
import { voidedInvoice } from '../../shared/domain/invoice.js';
import { CurrencyPolicy } from '../../shared/domain/money.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { unique } from '../contract/subject.js';
import { sequentialIds } from '../support/fakes/ids.js';
import { FakeIntentCustomers } from '../support/fakes/payment-intents.js';
import { FakePaymentProvider } from '../support/fakes/payment-provider.js';
import { createLocalTable, ledgerProblems, localDocumentClient, localLedger } from '../support/ledger.js';

const TABLE_NAME = `${tableDefinition.localName}-invoice-payments`;
const client = localDocumentClient();
const invoices = new DynamoDbInvoices(client, TABLE_NAME);
const ledger = localLedger(client, undefined, TABLE_NAME);
const balances = new DynamoDbMerchantBalances(client, TABLE_NAME, ledger);
const paid: SuccessCompanions = (intent) =>
  invoices.paidWith(intent, (invoice) => invoiceEvent('invoice.paid', invoice));

function depsWith(
  companions: SuccessCompanions,
  customers: FakeIntentCustomers,
  provider = new FakePaymentProvider().card('pm_card_visa', 'succeeded'),
): PayDeps {
  const ids = sequentialIds();
  const clock = { now: () => new Date() };
  const currencies = CurrencyPolicy.fromList('USD');
  const prices: PriceReader = {
    get: async (tenant, priceId) =>
      priceId === 'price_monthly'
        ? {
            ...tenant,
            priceId,
            productId: 'prod_gym',
            unitAmount: 1_500,
            currency: 'USD',
            recurring: { interval: 'month' },
            active: true,
            createdAt: '2026-12-01T00:00:00.000Z',
          }
        : undefined,
  };
  return {
    invoices,
    prices,
    customers,
    currencies,
    ids,
    clock,
    charges: {
      intents: new DynamoDbPaymentIntents(client, TABLE_NAME, undefined, companions),
      provider,
      customers,
      merchants: { get: async () => undefined },
      captureWindow: { start: async () => undefined },
      currencies,
      ids,
      clock,
      captureWindowSeconds: 60,
      ledger: {
        balances,
        fees: {
          tiers: parseFeeTiers(DEFAULT_FEE_TIERS),
          processing: parseProcessingFee(DEFAULT_PROCESSING_FEE),
        },
        settlementDelaySeconds: 172_800,
        ids,
      },
    },
  };
}

async function openInvoiceOf(deps: PayDeps, customers: FakeIntentCustomers) {
  const tenant = { merchantId: unique('mch_'), mode: 'test' as const };
  customers.add(tenant, {
    customerId: 'cus_ada',
    providerCustomerId: 'cus_provider_ada',
    defaultPaymentMethod: 'pm_card_visa',
  });
  const draft = await createInvoice(
    tenant,
    { customerId: 'cus_ada', currency: 'USD', items: [{ amount: 4_000, description: 'Work' }] },
    unique('key-'),
    deps,
  );
  return { tenant, open: await finalizeInvoice(tenant, draft.invoiceId, deps) };
}

beforeAll(async () => {
  await createLocalTable(TABLE_NAME);
});

afterAll(async () => {
  expect(await ledgerProblems(client, TABLE_NAME)).toEqual([]);
});

it('writes the invoice paid, the intent succeeded and the charge in one transaction', async () => {
  const customers = new FakeIntentCustomers();
  const deps = depsWith(paid, customers);
  const { tenant, open } = await openInvoiceOf(deps, customers);

  const invoice = await payInvoice(tenant, open.invoiceId, {}, deps);

  expect(invoice).toMatchObject({ status: 'paid', amountPaid: 4_000, amountDue: 0, attemptCount: 1 });
  const intent = await deps.charges.intents.get(tenant, String(invoice.paymentIntentId));
  expect(intent?.status).toBe('succeeded');
  const transactions = await balances.transactions({ ...tenant, limit: 10 });
  expect(transactions.transactions.map((t) => [t.kind, t.amount, t.source])).toEqual([
    ['charge', 4_000, invoice.paymentIntentId],
  ]);
});

it('writes nothing of the success when the invoice changed between the read and the write', async () => {
  const customers = new FakeIntentCustomers();
  let raced = false;
  // The invoice is voided after the companion read it, before the intent's transaction is written.
  const racing: SuccessCompanions = async (intent) => {
    const items = await paid(intent);
    const current = await invoices.get(intent, String(intent.metadata.invoice));
    if (!raced && current !== undefined) {
      raced = true;
      await invoices.save(current, voidedInvoice(current, new Date().toISOString()));
    }
    return items;
  };
  const deps = depsWith(racing, customers);
  const { tenant, open } = await openInvoiceOf(deps, customers);

  await expect(payInvoice(tenant, open.invoiceId, {}, deps)).rejects.toThrow(ConcurrentModificationError);

  const invoice = await invoices.get(tenant, open.invoiceId);
  expect(invoice).toMatchObject({ status: 'void', amountPaid: 0 });
  const intent = await deps.charges.intents.get(tenant, String(invoice?.paymentIntentId));
  expect(intent?.status).not.toBe('succeeded');
  expect((await balances.transactions({ ...tenant, limit: 10 })).transactions).toEqual([]);
});

describe('SubscriptionInvoicing (the subscriptions feature bills its periods here)', () => {
  const period = (tenant: { merchantId: string; mode: 'test' }) => ({
    tenant,
    subscriptionId: 'sub_gym',
    customerId: 'cus_ada',
    items: [{ priceId: 'price_monthly', quantity: 2 }],
    periodStart: '2026-12-01T00:00:00.000Z',
    periodEnd: '2027-01-01T00:00:00.000Z',
  });

  it('bills a period once: created, finalized and charged; a twin answers the same paid invoice or, while the charge is under way, refuses', async () => {
    const customers = new FakeIntentCustomers();
    const deps = depsWith(paid, customers);
    const tenant = { merchantId: unique('mch_'), mode: 'test' as const };
    customers.add(tenant, {
      customerId: 'cus_ada',
      providerCustomerId: 'cus_p',
      defaultPaymentMethod: 'pm_card_visa',
    });
    const invoicing = subscriptionInvoicing(deps);

    const [first, twin] = await Promise.allSettled([
      invoicing.billPeriod(period(tenant)),
      invoicing.billPeriod(period(tenant)),
    ]);
    const again = await invoicing.billPeriod(period(tenant));

    // Whichever call charged, the other answers the same paid invoice, or, when it found the charge still
    // under way, refuses (409, retried later) — never an undecided open invoice a subscription reads as a decline.
    const answers = [first, twin].flatMap((settled) =>
      settled.status === 'fulfilled' ? [settled.value] : [],
    );
    const refusals = [first, twin].flatMap((settled) =>
      settled.status === 'rejected' ? [settled.reason] : [],
    );
    expect(answers.length).toBeGreaterThanOrEqual(1);
    for (const refusal of refusals) expect(refusal).toBeInstanceOf(ConcurrentModificationError);
    for (const answer of answers) {
      expect(answer).toMatchObject({ invoiceId: again.invoiceId, status: 'paid', attemptCount: 1 });
    }

    expect(again).toMatchObject({ status: 'paid', total: 3_000, subscriptionId: 'sub_gym', attemptCount: 1 });
    expect(again.lines[0]?.period).toEqual({
      start: period(tenant).periodStart,
      end: period(tenant).periodEnd,
    });
    expect((await balances.transactions({ ...tenant, limit: 10 })).transactions).toHaveLength(1);
  });

  it('returns the open invoice on a decline, retries once per attempt, then marks it uncollectible', async () => {
    const customers = new FakeIntentCustomers();
    const provider = new FakePaymentProvider().card('pm_card_visa', { decline: 'insufficient_funds' });
    const deps = depsWith(paid, customers, provider);
    const tenant = { merchantId: unique('mch_'), mode: 'test' as const };
    customers.add(tenant, {
      customerId: 'cus_ada',
      providerCustomerId: 'cus_p',
      defaultPaymentMethod: 'pm_card_visa',
    });
    const invoicing = subscriptionInvoicing(deps);

    const declined = await invoicing.billPeriod(period(tenant));
    const retried = await invoicing.retry(tenant, declined.invoiceId, 1);
    const twice = await invoicing.retry(tenant, declined.invoiceId, 1);
    const written = await invoicing.markUncollectible(tenant, declined.invoiceId);

    expect(declined).toMatchObject({
      status: 'open',
      attemptCount: 1,
      lastPaymentError: { code: 'card_declined' },
    });
    expect(retried).toMatchObject({ status: 'open', attemptCount: 2 });
    expect(twice.attemptCount).toBe(2);
    expect(written.status).toBe('uncollectible');
    expect((await balances.transactions({ ...tenant, limit: 10 })).transactions).toEqual([]);
  });
});
