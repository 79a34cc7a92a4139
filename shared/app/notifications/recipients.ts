/** Who a notification goes to, read from the stores that hold them: merchants, their devices, customers, intents. */
import type { Tenant } from '../../domain/customer.js';
import type { CustomerStore } from '../merchant-customers/ports.js';
import type { Merchants } from '../merchants/ports.js';
import type { PaymentIntentStore } from '../payment-intents/ports.js';
import type { CustomerContact, DeviceStore, MerchantContact, NotificationRecipients } from './ports.js';

export class StoredRecipients implements NotificationRecipients {
  constructor(
    private readonly stores: {
      merchants: Pick<Merchants, 'get'>;
      devices: Pick<DeviceStore, 'list'>;
      customers: Pick<CustomerStore, 'get'>;
      intents: Pick<PaymentIntentStore, 'get'>;
    },
  ) {}

  async merchant(merchantId: string): Promise<MerchantContact | undefined> {
    const [merchant, devices] = await Promise.all([
      this.stores.merchants.get(merchantId),
      this.stores.devices.list(merchantId),
    ]);
    if (merchant === undefined) return undefined;
    return {
      name: merchant.name,
      email: merchant.email,
      ...(merchant.phone === undefined ? {} : { phone: merchant.phone }),
      pushEndpoints: devices.map((device) => device.endpoint),
    };
  }

  async customer(tenant: Tenant, customerId: string): Promise<CustomerContact | undefined> {
    const customer = await this.stores.customers.get(tenant, customerId);
    if (customer === undefined) return undefined;
    return {
      ...(customer.email === undefined ? {} : { email: customer.email }),
      ...(customer.phone === undefined ? {} : { phone: customer.phone }),
    };
  }

  async customerOfPaymentIntent(tenant: Tenant, intentId: string): Promise<string | undefined> {
    return (await this.stores.intents.get(tenant, intentId))?.customerId ?? undefined;
  }
}
