/**
 * The invoices on the single table, and what the PaymentIntent store writes with an intent's success: the
 * paid invoice it charged, with `invoice.paid` (shared/adapters/dynamodb/invoices.ts `paidWith`).
 */
import * as z from 'zod/mini';
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { DynamoDbInvoices } from '../adapters/dynamodb/invoices.js';
import type { SuccessCompanions } from '../adapters/dynamodb/payment-intents.js';
import { invoiceEvent } from '../app/invoices/invoices.js';
import { readEnv, readTableName } from '../config.js';
import type { Invoice } from '../domain/invoice.js';
import { invoiceView } from '../http/views/invoices.js';
import { once } from '../lazy.js';

export const invoiceStore = once(() => new DynamoDbInvoices(documentClient(), readTableName()));

/**
 * Where the API is reached (API_BASE_URL, no trailing slash), for the URLs of an event's `object` written
 * away from a request (a webhook's success, a subscription's renewal); the path alone where it is not set.
 */
const apiBaseUrl = once(
  () => readEnv(z.object({ API_BASE_URL: z.optional(z.string()) })).API_BASE_URL?.replace(/\/+$/, '') ?? '',
);

/** The invoice as an event's `object` carries it. */
export function eventInvoiceView(invoice: Invoice): Record<string, unknown> {
  return invoiceView(invoice, { url: (path) => `${apiBaseUrl()}${path}` });
}

export const invoiceCompanions: SuccessCompanions = (succeeded) =>
  invoiceStore().paidWith(succeeded, (paid) => invoiceEvent('invoice.paid', paid, eventInvoiceView));
