/**
 * Wallet top-ups by card and the caller's balances, history and payment methods.
 * One catalogue of the route table (../routes.ts), which assembles them in the order of the API.
 */
import type { RouteDefinition } from '../route-definition.js';

export const walletsRoutes = [
  {
    method: 'POST',
    path: '/wallet/v1/topup',
    fn: 'walletTopup',
    auth: 'jwt',
    idempotency: 'required',
    userRateLimit: true,
    summary: 'Top up the wallet by card; credited when the provider confirms',
    tags: ['wallets'],
  },
  {
    method: 'GET',
    path: '/payments/v1/user/{userId}/balance',
    fn: 'walletBalance',
    auth: 'jwt',
    idempotency: 'none',
    summary: "The caller's balances per currency",
    tags: ['wallets'],
  },
  {
    method: 'GET',
    path: '/payments/v1/user/{userId}/transactions',
    fn: 'walletTransactions',
    auth: 'jwt',
    idempotency: 'none',
    summary: "The caller's wallet history, newest first",
    tags: ['wallets'],
  },
  {
    method: 'GET',
    path: '/payments/v1/user/{userId}/payment-methods',
    fn: 'walletPaymentMethods',
    auth: 'jwt',
    idempotency: 'none',
    summary: "The caller's wallet and saved cards",
    tags: ['wallets'],
  },
] as const satisfies readonly RouteDefinition[];
