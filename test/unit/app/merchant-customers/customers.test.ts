import { CursorCodec } from '../../../../shared/app/cursor.js';
import {
  createCustomer,
  deleteCustomer,
  getCustomer,
  listCustomers,
  updateCustomer,
} from '../../../../shared/app/merchant-customers/customers.js';
import {
  attachPaymentMethod,
  detachPaymentMethod,
} from '../../../../shared/app/merchant-customers/payment-methods.js';
import { applyCustomerChanges, type Customer } from '../../../../shared/domain/customer.js';
import { API_KEY_SCOPES, type MerchantCaller } from '../../../../shared/domain/merchant.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { sequentialIds } from '../../../support/fakes/ids.js';
import { FakeCustomerStore, FakeProviderCustomers } from '../../../support/fakes/merchant-customers.js';

const AT = '2030-01-02T03:04:05.000Z';
const caller: MerchantCaller = { merchantId: 'mch_a', mode: 'test', scopes: API_KEY_SCOPES, keyId: 'key_a' };

function setup() {
  const customers = new FakeCustomerStore();
  const provider = new FakeProviderCustomers();
  const modes: string[] = [];
  const deps = {
    customers,
    providerCustomers: async (mode: 'test' | 'live') => {
      modes.push(mode);
      return provider;
    },
    ids: sequentialIds(),
    clock: fixedClock(AT),
    cursors: new CursorCodec('x'.repeat(32)),
  };
  return { customers, provider, modes, deps };
}

describe('Use case: createCustomer', () => {
  it('makes the customer at the provider of its mode, then stores it with its customer.created event', async () => {
    // Arrange
    const { customers, provider, modes, deps } = setup();

    // Act
    const customer = await createCustomer(caller, { email: 'a@x.example', metadata: { k: 'v' } }, '', deps);

    // Assert
    expect(customer).toEqual<Customer>({
      merchantId: 'mch_a',
      mode: 'test',
      customerId: 'cus_1',
      email: 'a@x.example',
      metadata: { k: 'v' },
      providerCustomerId: 'cus_provider1',
      createdAt: AT,
      updatedAt: AT,
    });
    expect(modes).toEqual(['test']);
    expect(provider.created).toEqual([
      {
        idempotencyKey: 'merchant-customer:cus_1',
        email: 'a@x.example',
        metadata: { merchant_id: 'mch_a', customer_id: 'cus_1' },
      },
    ]);
    expect(customers.events).toEqual([
      {
        detailType: 'customer.created',
        detail: expect.objectContaining({
          eventId: 'customer.created:cus_1',
          customerId: 'cus_1',
          name: null,
        }),
      },
    ]);
  });

  it('finds the customer of a first attempt again from the same Idempotency-Key, making no second one', async () => {
    // Arrange
    const { provider, deps } = setup();
    const first = await createCustomer(caller, {}, 'key-1', deps);

    // Act
    const again = await createCustomer(caller, {}, 'key-1', deps);
    const otherMerchant = await createCustomer({ ...caller, merchantId: 'mch_b' }, {}, 'key-1', deps);

    // Assert
    expect(again).toEqual(first);
    expect(otherMerchant.customerId).not.toBe(first.customerId);
    expect(provider.created).toHaveLength(2);
  });

  it('refuses a key without customers:write before calling the provider', async () => {
    // Arrange
    const { provider, deps } = setup();

    // Act / Assert
    await expect(
      createCustomer({ ...caller, scopes: ['customers:read'] }, {}, '', deps),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_SCOPE' });
    expect(provider.calls).toEqual([]);
  });
});

describe('Use cases: get, update, delete and list customers', () => {
  it("answers NOT_FOUND for another merchant's or the other mode's customer", async () => {
    // Arrange
    const { deps } = setup();
    const customer = await createCustomer(caller, {}, '', deps);

    // Act / Assert
    for (const other of [
      { ...caller, merchantId: 'mch_b' },
      { ...caller, mode: 'live' as const },
    ]) {
      await expect(getCustomer(other, customer.customerId, deps)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(updateCustomer(other, customer.customerId, { name: 'x' }, deps)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(deleteCustomer(other, customer.customerId, deps)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    }
  });

  it("deletes the processor's customer before ours; a retry after a failure on our side finds it deleted there and goes on", async () => {
    // Arrange
    const { deps, customers, provider } = setup();
    const customer = await createCustomer(caller, {}, '', deps);
    const failing = {
      ...deps,
      customers: Object.assign(Object.create(customers) as FakeCustomerStore, {
        delete: () => Promise.reject(new Error('DynamoDB is unavailable')),
      }),
    };

    // Act
    await expect(deleteCustomer(caller, customer.customerId, failing)).rejects.toThrow('unavailable');
    const deleted = await deleteCustomer(caller, customer.customerId, deps);

    // Assert
    expect(deleted).toEqual({ customerId: customer.customerId, mode: 'test' });
    expect(provider.deleted).toEqual([customer.providerCustomerId]);
    expect(await customers.get(caller, customer.customerId)).toBeUndefined();
    await expect(deleteCustomer(caller, customer.customerId, deps)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(provider.deleted).toEqual([customer.providerCustomerId]);
  });

  it('refuses a default payment method that is not attached to the customer (400)', async () => {
    // Arrange
    const { deps } = setup();
    const customer = await createCustomer(caller, {}, '', deps);

    // Act / Assert
    await expect(
      updateCustomer(caller, customer.customerId, { defaultPaymentMethod: 'pm_other' }, deps),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('binds a list cursor to its list: one of another email filter is refused', async () => {
    // Arrange
    const { deps } = setup();
    for (let n = 0; n < 3; n += 1) await createCustomer(caller, { email: 'a@x.example' }, '', deps);
    const first = await listCustomers(caller, { limit: 2 }, deps);

    // Act
    const next = await listCustomers(caller, { limit: 2, cursor: first.nextCursor ?? '' }, deps);

    // Assert
    expect(first.customers.map((c) => c.customerId)).toEqual(['cus_3', 'cus_2']);
    expect(next).toEqual({ customers: [expect.objectContaining({ customerId: 'cus_1' })], nextCursor: null });
    await expect(
      listCustomers(caller, { limit: 2, cursor: first.nextCursor ?? '', email: 'a@x.example' }, deps),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});

describe('Use cases: attach and detach payment methods', () => {
  it('refuses a card the provider has attached to another customer, and stores nothing', async () => {
    // Arrange
    const { customers, deps } = setup();
    const owner = await createCustomer(caller, {}, '', deps);
    const other = await createCustomer(caller, {}, '', deps);
    const card = await attachPaymentMethod(caller, owner.customerId, 'pm_card_visa', '', deps);

    // Act / Assert
    await expect(
      attachPaymentMethod(caller, other.customerId, card.paymentMethodId, '', deps),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    expect([...customers.methods.values()].map((m) => m.customerId)).toEqual([owner.customerId]);
  });

  it('detaches at the provider first, then forgets the card and clears it as the default', async () => {
    // Arrange
    const { provider, deps } = setup();
    const customer = await createCustomer(caller, {}, '', deps);
    const card = await attachPaymentMethod(caller, customer.customerId, 'pm_card_visa', '', deps);
    await updateCustomer(caller, customer.customerId, { defaultPaymentMethod: card.paymentMethodId }, deps);

    // Act
    await detachPaymentMethod(caller, customer.customerId, card.paymentMethodId, deps);

    // Assert
    expect(provider.calls.slice(-1)).toEqual(['detachCard']);
    expect(provider.owners.get(card.paymentMethodId)).toBeUndefined();
    expect((await getCustomer(caller, customer.customerId, deps)).defaultPaymentMethod).toBeUndefined();
    await expect(
      detachPaymentMethod(caller, customer.customerId, card.paymentMethodId, deps),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('Function: applyCustomerChanges', () => {
  const customer: Customer = {
    merchantId: 'mch_a',
    mode: 'test',
    customerId: 'cus_1',
    email: 'a@x.example',
    name: 'Ann',
    metadata: { a: '1', b: '2' },
    defaultPaymentMethod: 'pm_1',
    providerCustomerId: 'cus_p',
    createdAt: AT,
    updatedAt: AT,
  };

  it('keeps what is left out, removes what is null or empty, and merges metadata key by key', () => {
    // Act
    const next = applyCustomerChanges(
      customer,
      { email: null, name: '', metadata: { a: '', c: '3' }, defaultPaymentMethod: undefined },
      '2031-01-01T00:00:00.000Z',
    );

    // Assert
    expect(next).toEqual({
      ...customer,
      email: undefined,
      name: undefined,
      metadata: { b: '2', c: '3' },
      updatedAt: '2031-01-01T00:00:00.000Z',
    });
    expect('email' in next).toBe(false);
  });

  it('refuses metadata that would hold more than 50 keys', () => {
    // Arrange
    const many = Object.fromEntries(Array.from({ length: 49 }, (_, n) => [`k${n}`, 'v']));

    // Act / Assert
    expect(() => applyCustomerChanges(customer, { metadata: many }, AT)).toThrow(/at most 50/);
  });
});
