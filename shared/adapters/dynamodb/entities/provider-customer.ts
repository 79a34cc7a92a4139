import * as z from 'zod/mini';
import type { ProviderName } from '../../../app/payments/ports.js';
import { defineEntity } from '../entity.js';
import { providerCustomerKey } from '../keys.js';
import { exactSchemaOf } from './exact.js';

/** A user's customer at a processor, recorded once. */
export interface ProviderCustomer {
  userId: string;
  provider: ProviderName;
  customerId: string;
  createdAt: string;
}

export const ProviderCustomerEntity = defineEntity<ProviderCustomer>({
  type: 'ProviderCustomer',
  schema: exactSchemaOf<ProviderCustomer>()(
    z.object({
      userId: z.string(),
      provider: z.enum(['stripe', 'paypal']),
      customerId: z.string(),
      createdAt: z.string(),
    }),
  ),
  key: (customer) => providerCustomerKey(customer.userId, customer.provider),
});
