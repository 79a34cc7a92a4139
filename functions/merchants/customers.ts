import { systemClock } from '../../shared/adapters/clock.js';
import { randomIds } from '../../shared/adapters/ids.js';
import {
  createCustomer,
  deleteCustomer,
  getCustomer,
  listCustomers,
  updateCustomer,
} from '../../shared/app/merchant-customers/customers.js';
import {
  attachPaymentMethod,
  detachPaymentMethod,
  listPaymentMethods,
} from '../../shared/app/merchant-customers/payment-methods.js';
import { cursorCodec } from '../../shared/composition/cursors.js';
import { httpHandler } from '../../shared/composition/http.js';
import { customerStore, providerCustomers } from '../../shared/composition/merchant-customers.js';
import { byRoute } from '../../shared/http/handler.js';
import {
  AttachPaymentMethodRequest,
  CreateCustomerRequest,
  CustomerIdParams,
  CustomerPaymentMethodParams,
  ListCustomersQuery,
  ListQuery,
  UpdateCustomerRequest,
} from '../../shared/http/schemas/customers.js';
import { customerView, deletedCustomerView, paymentMethodView } from '../../shared/http/views/customers.js';
import { listView } from '../../shared/http/views/list.js';

const deps = {
  customers: customerStore(),
  providerCustomers,
  ids: randomIds,
  clock: systemClock,
  objectView: customerView,
};

const create = httpHandler({ body: CreateCustomerRequest }, async (request) => ({
  status: 201,
  body: customerView(await createCustomer(request.merchant(), request.body, request.idempotencyKey(), deps)),
}));

const list = httpHandler({ query: ListCustomersQuery }, async (request) => {
  const page = await listCustomers(request.merchant(), request.query, {
    ...deps,
    cursors: await cursorCodec(),
  });
  return { status: 200, body: listView(page.customers.map(customerView), page.nextCursor) };
});

const read = httpHandler({ params: CustomerIdParams }, async (request) => ({
  status: 200,
  body: customerView(await getCustomer(request.merchant(), request.params.customerId, deps)),
}));

const update = httpHandler({ params: CustomerIdParams, body: UpdateCustomerRequest }, async (request) => {
  const { default_payment_method: defaultPaymentMethod, ...fields } = request.body;
  const changes = { ...fields, defaultPaymentMethod };
  return {
    status: 200,
    body: customerView(await updateCustomer(request.merchant(), request.params.customerId, changes, deps)),
  };
});

const remove = httpHandler({ params: CustomerIdParams }, async (request) => ({
  status: 200,
  body: deletedCustomerView(await deleteCustomer(request.merchant(), request.params.customerId, deps)),
}));

const attach = httpHandler(
  { params: CustomerIdParams, body: AttachPaymentMethodRequest },
  async (request) => ({
    status: 200,
    body: paymentMethodView(
      await attachPaymentMethod(
        request.merchant(),
        request.params.customerId,
        request.body.payment_method,
        request.idempotencyKey(),
        deps,
      ),
    ),
  }),
);

const listMethods = httpHandler({ params: CustomerIdParams, query: ListQuery }, async (request) => {
  const page = await listPaymentMethods(request.merchant(), request.params.customerId, request.query, {
    ...deps,
    cursors: await cursorCodec(),
  });
  return {
    status: 200,
    body: listView(
      page.paymentMethods.map((m) => paymentMethodView(m)),
      page.nextCursor,
    ),
  };
});

const detach = httpHandler({ params: CustomerPaymentMethodParams }, async (request) => {
  const { customerId, paymentMethodId } = request.params;
  const method = await detachPaymentMethod(request.merchant(), customerId, paymentMethodId, deps);
  return { status: 200, body: paymentMethodView(method, true) };
});

export const handler = byRoute('merchantCustomers', {
  'POST /v1/customers': create,
  'GET /v1/customers': list,
  'GET /v1/customers/{customerId}': read,
  'POST /v1/customers/{customerId}': update,
  'DELETE /v1/customers/{customerId}': remove,
  'POST /v1/customers/{customerId}/payment_methods': attach,
  'GET /v1/customers/{customerId}/payment_methods': listMethods,
  'DELETE /v1/customers/{customerId}/payment_methods/{paymentMethodId}': detach,
});
