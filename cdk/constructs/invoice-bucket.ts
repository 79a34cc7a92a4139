/**
 * The invoice PDFs' bucket (stateful, retained): private, encrypted with the service's customer-managed key,
 * TLS only, versioned (an invoice's document is a record the merchant and its customer were sent: a
 * replaced object keeps the one issued), with server access logs to the KYC bucket's log bucket under
 * `invoices/`. Functions reach it through `bindInvoiceBucket`: its name in `INVOICE_BUCKET_NAME`, and put/get
 * on `invoices/*` only.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  INVOICE_BUCKET_ENV,
  invoiceBucketDefinition,
  invoiceBucketName,
} from '../../shared/infra/invoice-bucket.js';
import type { PaymentsFunction } from './payments-function.js';

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
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: invoiceBucketName(stack.account, stack.region),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: invoiceBucketDefinition.objectPrefix,
      lifecycleRules: [
        { id: 'AbandonedUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'ReplacedFiles', noncurrentVersionExpiration: Duration.days(365) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

/**
 * The bucket's name in `INVOICE_BUCKET_NAME`; s3:PutObject and s3:GetObject on `invoices/*`; s3:ListBucket
 * on `invoices/` only (without it a GET of a PDF not yet rendered answers 403 instead of 404); the key's
 * data-key use through S3 only. Named from the function's own account and region and granted on its role,
 * like the KYC bucket (kyc-bucket.ts says why: no reference ties the two stacks together).
 */
export function bindInvoiceBucket(fn: PaymentsFunction, key: kms.IKey): void {
  const stack = Stack.of(fn);
  const name = invoiceBucketName(stack.account, stack.region);
  const bucketArn = `arn:${stack.partition}:s3:::${name}`;
  const prefix = invoiceBucketDefinition.objectPrefix;
  fn.addEnvironment(INVOICE_BUCKET_ENV, name);
  const role = fn.role;
  if (role === undefined) throw new Error('A catalogue function always has its own role');
  const objects = new iam.Policy(fn, 'InvoiceObjects', {
    roles: [role],
    statements: [
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [`${bucketArn}/${prefix}*`],
      }),
    ],
  });
  Validations.of(objects).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${invoiceBucketName('<AWS::AccountId>', '<AWS::Region>')}/${prefix}*]`,
    reason:
      'Objects are per merchant, mode and invoice (invoices/<merchant>/<mode>/<invoice>.pdf); the grant is the invoices/ prefix.',
  });
  iam.Grant.addToPrincipal({
    grantee: fn,
    actions: ['s3:ListBucket'],
    resourceArns: [bucketArn],
    conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
  });
  iam.Grant.addToPrincipal({
    grantee: fn,
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    resourceArns: [key.keyArn],
    conditions: { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } },
  });
}
