/**
 * Stripe Connect accounts, as far as onboarding uses them: an approved merchant gets an Express (or Custom)
 * connected account (`POST /v1/accounts`), retrievable by id. Charges and payouts are enabled at once here;
 * on Stripe they wait for the account's own onboarding.
 */
import { noSuchObject } from './errors.js';
import type { FormParams } from './form.js';
import { newId } from './ids.js';
import { type Metadata, unixNow } from './objects.js';
import {
  optionalEnum,
  optionalHash,
  optionalMetadata,
  optionalString,
  rejectUnknownParams,
} from './params.js';
import type { ApiContext, StripeState } from './state.js';

export interface AccountObject {
  id: string;
  object: 'account';
  type: 'express' | 'custom' | 'standard';
  country: string;
  email: string | null;
  business_type: 'individual' | 'company' | null;
  capabilities: Record<string, 'active' | 'inactive' | 'pending'>;
  charges_enabled: boolean;
  payouts_enabled: boolean;
  created: number;
  livemode: false;
  metadata: Metadata;
}

/** `POST /v1/accounts` */
export function createAccount(ctx: ApiContext, params: FormParams): AccountObject {
  rejectUnknownParams(params, [
    'type',
    'country',
    'email',
    'business_type',
    'capabilities',
    'metadata',
    'expand',
  ]);
  const capabilities = Object.keys(optionalHash(params, 'capabilities') ?? {});
  const account: AccountObject = {
    id: newId('acct'),
    object: 'account',
    type: optionalEnum(params, 'type', ['express', 'custom', 'standard'] as const) ?? 'standard',
    country: optionalString(params, 'country') ?? 'US',
    email: optionalString(params, 'email') ?? null,
    business_type: optionalEnum(params, 'business_type', ['individual', 'company'] as const) ?? null,
    capabilities: Object.fromEntries(capabilities.map((name) => [name, 'active' as const])),
    charges_enabled: true,
    payouts_enabled: true,
    created: unixNow(),
    livemode: false,
    metadata: optionalMetadata(params) ?? {},
  };
  ctx.state.accounts.set(account.id, account);
  return structuredClone(account);
}

/** `GET /v1/accounts/:id` */
export function retrieveAccount(ctx: ApiContext, params: FormParams, id: string): AccountObject {
  rejectUnknownParams(params, ['expand']);
  const account = ctx.state.accounts.get(id);
  if (account === undefined) throw noSuchObject('account', id, 'id', 404);
  return structuredClone(account);
}

/** A connected account known from the server's start (the local seed's merchant), with this id. */
export function seedAccount(state: StripeState, id: string): void {
  state.accounts.set(id, {
    id,
    object: 'account',
    type: 'express',
    country: 'US',
    email: null,
    business_type: 'company',
    capabilities: { transfers: 'active' },
    charges_enabled: true,
    payouts_enabled: true,
    created: unixNow(),
    livemode: false,
    metadata: {},
  });
}
