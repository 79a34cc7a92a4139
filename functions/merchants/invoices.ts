/** A merchant's invoices (/v1/invoices): create, read, list, edit a draft, finalize, pay, void, mark uncollectible. */
import {
  createInvoice,
  editInvoice,
  finalizeInvoice,
  getInvoice,
  type InvoiceItem,
  listInvoices,
  markInvoiceUncollectible,
  tenantWith,
  voidInvoice,
} from '../../shared/app/invoices/invoices.js';
import { payInvoice } from '../../shared/app/invoices/pay.js';
import { cursorCodec } from '../../shared/composition/cursors.js';
import { httpHandler } from '../../shared/composition/http.js';
import { invoiceDeps } from '../../shared/composition/invoices.js';
import { byRoute } from '../../shared/http/handler.js';
import {
  CreateInvoiceRequest,
  InvoiceActionRequest,
  InvoiceIdParams,
  ListInvoicesQuery,
  PayInvoiceRequest,
  UpdateInvoiceRequest,
} from '../../shared/http/schemas/invoices.js';
import { invoiceView } from '../../shared/http/views/invoices.js';
import { listView } from '../../shared/http/views/list.js';

/** A request's item as the use case takes it: a price's line, or an ad hoc one. */
function itemOf(item: {
  price?: string | undefined;
  amount?: number | undefined;
  description?: string | undefined;
  quantity?: number | undefined;
}): InvoiceItem {
  return item.price === undefined
    ? { amount: item.amount, description: item.description ?? '', quantity: item.quantity }
    : { price: item.price, quantity: item.quantity };
}

const create = httpHandler({ body: CreateInvoiceRequest }, async (request) => {
  const tenant = tenantWith(request.merchant(), 'billing:write');
  const { customer, items, due_days: dueDays, currency } = request.body;
  const invoice = await createInvoice(
    tenant,
    {
      customerId: customer,
      items: items.map(itemOf),
      dueDays,
      currency,
    },
    request.idempotencyKey(),
    await invoiceDeps(),
  );
  return { status: 201, body: invoiceView(invoice, request) };
});

const list = httpHandler({ query: ListInvoicesQuery }, async (request) => {
  const page = await listInvoices(request.merchant(), request.query, {
    ...(await invoiceDeps()),
    cursors: await cursorCodec(),
  });
  return {
    status: 200,
    body: listView(
      page.invoices.map((invoice) => invoiceView(invoice, request)),
      page.nextCursor,
    ),
  };
});

const read = httpHandler({ params: InvoiceIdParams }, async (request) => ({
  status: 200,
  body: invoiceView(
    await getInvoice(request.merchant(), request.params.invoiceId, await invoiceDeps()),
    request,
  ),
}));

const update = httpHandler({ params: InvoiceIdParams, body: UpdateInvoiceRequest }, async (request) => {
  const tenant = tenantWith(request.merchant(), 'billing:write');
  const { items, due_days: dueDays } = request.body;
  const invoice = await editInvoice(
    tenant,
    request.params.invoiceId,
    { items: items?.map(itemOf), dueDays },
    await invoiceDeps(),
  );
  return { status: 200, body: invoiceView(invoice, request) };
});

const finalize = httpHandler({ params: InvoiceIdParams, body: InvoiceActionRequest }, async (request) => {
  const tenant = tenantWith(request.merchant(), 'billing:write');
  const invoice = await finalizeInvoice(tenant, request.params.invoiceId, await invoiceDeps());
  return { status: 200, body: invoiceView(invoice, request) };
});

const pay = httpHandler({ params: InvoiceIdParams, body: PayInvoiceRequest }, async (request) => {
  const tenant = tenantWith(request.merchant(), 'billing:write');
  const invoice = await payInvoice(
    tenant,
    request.params.invoiceId,
    { paymentMethodId: request.body.payment_method },
    await invoiceDeps(),
  );
  return { status: 200, body: invoiceView(invoice, request) };
});

const voidRoute = httpHandler({ params: InvoiceIdParams, body: InvoiceActionRequest }, async (request) => {
  const tenant = tenantWith(request.merchant(), 'billing:write');
  const invoice = await voidInvoice(tenant, request.params.invoiceId, await invoiceDeps());
  return { status: 200, body: invoiceView(invoice, request) };
});

const uncollectible = httpHandler(
  { params: InvoiceIdParams, body: InvoiceActionRequest },
  async (request) => {
    const tenant = tenantWith(request.merchant(), 'billing:write');
    const invoice = await markInvoiceUncollectible(tenant, request.params.invoiceId, await invoiceDeps());
    return { status: 200, body: invoiceView(invoice, request) };
  },
);

export const handler = byRoute('merchantInvoices', {
  'POST /v1/invoices': create,
  'GET /v1/invoices': list,
  'GET /v1/invoices/{invoiceId}': read,
  'POST /v1/invoices/{invoiceId}': update,
  'POST /v1/invoices/{invoiceId}/finalize': finalize,
  'POST /v1/invoices/{invoiceId}/pay': pay,
  'POST /v1/invoices/{invoiceId}/void': voidRoute,
  'POST /v1/invoices/{invoiceId}/mark_uncollectible': uncollectible,
});
