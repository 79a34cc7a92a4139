/**
 * The merchant API's invoices (API.md "Billing and checkout"): server to server with a secret key. One
 * catalogue of the route table (../routes.ts). The PDF route is the invoice documents' own.
 */
import type { RouteDefinition } from '../route-definition.js';

/** No user token in front of these (the API-key authorizer is): a limit of their own, below the stage's. */
const throttle = { burstLimit: 100, rateLimit: 50 } as const;
const write = {
  fn: 'merchantInvoices',
  auth: 'apiKey',
  scope: 'billing:write',
  throttle,
  tags: ['invoices'],
} as const;
const read = {
  fn: 'merchantInvoices',
  auth: 'apiKey',
  scope: 'billing:read',
  throttle,
  tags: ['invoices'],
} as const;

export const invoicesRoutes = [
  {
    ...write,
    method: 'POST',
    path: '/v1/invoices',
    idempotency: 'optional',
    summary: "Create a draft invoice of a customer's items: prices or ad hoc amounts, in one currency",
  },
  {
    ...read,
    method: 'GET',
    path: '/v1/invoices',
    idempotency: 'none',
    summary: "The merchant's invoices, newest first, optionally by customer, status and subscription",
  },
  {
    ...read,
    method: 'GET',
    path: '/v1/invoices/{invoiceId}',
    idempotency: 'none',
    summary: 'An invoice (overdue when open past its due date)',
  },
  {
    ...write,
    method: 'POST',
    path: '/v1/invoices/{invoiceId}',
    idempotency: 'optional',
    summary: 'Edit a draft invoice: replace its items and/or its due days (totals recomputed)',
  },
  {
    ...write,
    method: 'POST',
    path: '/v1/invoices/{invoiceId}/finalize',
    idempotency: 'optional',
    summary: 'Finalize a draft: open, numbered without gaps, due after its due days',
  },
  {
    ...write,
    method: 'POST',
    path: '/v1/invoices/{invoiceId}/pay',
    idempotency: 'required',
    summary: "Charge an open invoice to the customer's default (or the given) payment method",
  },
  {
    ...write,
    method: 'POST',
    path: '/v1/invoices/{invoiceId}/void',
    idempotency: 'optional',
    summary: 'Void an open invoice',
  },
  {
    ...write,
    method: 'POST',
    path: '/v1/invoices/{invoiceId}/mark_uncollectible',
    idempotency: 'optional',
    summary: 'Mark an open invoice uncollectible',
  },
] as const satisfies readonly RouteDefinition[];
