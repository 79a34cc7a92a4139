/** Who an invoice is from and to, read from the merchants and the merchant's customers. */
import type { Tenant } from '../../domain/customer.js';
import type { CustomerStore } from '../merchant-customers/ports.js';
import type { Merchants } from '../merchants/ports.js';
import type { InvoiceParty } from './model.js';
import type { InvoiceParties } from './ports.js';

export class StoredInvoiceParties implements InvoiceParties {
  constructor(
    private readonly stores: { merchants: Pick<Merchants, 'get'>; customers: Pick<CustomerStore, 'get'> },
  ) {}

  async merchant(merchantId: string): Promise<{ name: string; email?: string } | undefined> {
    const merchant = await this.stores.merchants.get(merchantId);
    return merchant === undefined ? undefined : { name: merchant.name, email: merchant.email };
  }

  async customer(tenant: Tenant, customerId: string): Promise<InvoiceParty | undefined> {
    const customer = await this.stores.customers.get(tenant, customerId);
    if (customer === undefined) return undefined;
    return {
      ...(customer.name === undefined ? {} : { name: customer.name }),
      ...(customer.email === undefined ? {} : { email: customer.email }),
    };
  }
}
