/**
 * The invoice PDFs' bucket (stateful, retained): private, encrypted with the service's customer-managed key,
 * TLS only, versioned (an invoice's document is a record the merchant and its customer were sent: a
 * replaced object keeps the one issued), with server access logs to the KYC bucket's log bucket under
 * `invoices/`. Functions reach it through `bindInvoiceBucket`: its name in `INVOICE_BUCKET_NAME`, and put/get
 * on `invoices/*` only.
 */
import { Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  INVOICE_BUCKET_ENV,
  invoiceBucketDefinition,
  invoiceBucketName,
} from '../../shared/infra/invoice-bucket.js';
import type { PaymentsFunction } from './payments-function.js';
import { grantBucketObjects, privateBucket } from './private-bucket.js';

export interface InvoiceBucketProps {
  key: kms.Key;
  /** Where its server access logs go (the KYC bucket's log bucket). */
  accessLogs: s3.IBucket;
}

export class InvoiceBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: InvoiceBucketProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.bucket = privateBucket(this, {
      bucketName: invoiceBucketName(stack.account, stack.region),
      key: props.key,
      accessLogs: props.accessLogs,
      prefix: invoiceBucketDefinition.objectPrefix,
      abortIncompleteUploadAfterDays: 1,
    });
  }
}

/**
 * The bucket's name in `INVOICE_BUCKET_NAME`; s3:PutObject and s3:GetObject on `invoices/*`; s3:ListBucket
 * on `invoices/` only (without it a GET of a PDF not yet rendered answers 403 instead of 404); the key's
 * data-key use through S3 only (private-bucket.ts says why it is granted on the role).
 */
export function bindInvoiceBucket(fn: PaymentsFunction, key: kms.IKey): void {
  grantBucketObjects(fn, key, {
    policyId: 'InvoiceObjects',
    bucketName: invoiceBucketName,
    environment: INVOICE_BUCKET_ENV,
    prefix: invoiceBucketDefinition.objectPrefix,
    access: 'readWrite',
    reason:
      'Objects are per merchant, mode and invoice (invoices/<merchant>/<mode>/<invoice>.pdf); the grant is the invoices/ prefix.',
  });
}
