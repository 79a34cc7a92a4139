/**
 * The invoice PDFs' bucket: CDK creates it in the stateful stack and the local stack in its S3 engine, both
 * from this module (like the KYC bucket, kyc-bucket.ts). Functions learn its name from
 * `INVOICE_BUCKET_NAME`; every object lives under `invoices/`, and the grants reach that prefix only.
 */
export const INVOICE_BUCKET_ENV = 'INVOICE_BUCKET_NAME';

/** The bucket's name on AWS: fixed per account and region, so the stateless stack names it itself. */
export function invoiceBucketName(account: string, region: string): string {
  return `tween-payments-invoices-${account}-${region}`;
}

export const invoiceBucketDefinition = {
  /** The bucket's name in the local S3 engine (AWS names it per account and region). */
  localName: 'tween-payments-invoices',
  /** Where PDFs live: `invoices/<merchantId>/<mode>/<invoiceId>.pdf`. */
  objectPrefix: 'invoices/',
} as const;
