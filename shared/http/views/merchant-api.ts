/** The API-key and app objects as the merchant platform answers them (snake_case, `object`, epoch seconds). */
import { type ApiKey, displayStatus } from '../../domain/api-key.js';
import type { App } from '../../domain/merchant.js';

export function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

export function apiKeyView(key: ApiKey, now: Date, secret?: string) {
  return {
    id: key.keyId,
    object: 'api_key' as const,
    mode: key.mode,
    livemode: key.mode === 'live',
    name: key.name,
    scopes: key.scopes,
    last4: key.last4,
    status: displayStatus(key, now),
    created: epochSeconds(key.createdAt),
    expires_at: key.expiresAt === undefined ? null : epochSeconds(key.expiresAt),
    ...(secret === undefined ? {} : { secret }),
  };
}

export function appView(app: App) {
  return {
    id: app.appId,
    object: 'app' as const,
    name: app.name,
    livemode: app.mode === 'live',
    created: epochSeconds(app.createdAt),
  };
}
