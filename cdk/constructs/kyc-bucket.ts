/**
 * The KYC documents' bucket (stateful, retained): private, encrypted with the service's customer-managed key,
 * TLS only, versioned, with server access logs to a bucket of their own. Functions reach it through
 * `bindKycBucket`: the bucket's name in `KYC_BUCKET_NAME`, and put/get (HEAD is a GET) on `kyc/*` only.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { KYC_BUCKET_ENV, kycBucketDefinition, kycBucketName } from '../../shared/infra/kyc-bucket.js';
import type { PaymentsFunction } from './payments-function.js';
import { grantBucketObjects, privateBucket } from './private-bucket.js';

export interface KycBucketProps {
  key: kms.Key;
}

export class KycBucket extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: KycBucketProps) {
    super(scope, id);
    // S3 delivers server access logs only to a bucket with S3-managed keys (SSE-KMS is not supported there).
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'The access-log bucket of the KYC bucket: logging its own access would log the log deliveries.',
    });

    const stack = Stack.of(this);
    // KYC files are evidence ops decided on: an upload URL works until it expires, so a second PUT could
    // replace a file after it was checked; versioning keeps the one that was there.
    this.bucket = privateBucket(this, {
      bucketName: kycBucketName(stack.account, stack.region),
      key: props.key,
      // Bucket's optional isWebsite vs IBucket's under exactOptionalPropertyTypes: the same object.
      accessLogs: this.accessLogs as s3.IBucket,
      prefix: kycBucketDefinition.objectPrefix,
      abortIncompleteUploadAfterDays: kycBucketDefinition.abortIncompleteUploadAfterDays,
    });
  }
}

/**
 * The bucket's name in `KYC_BUCKET_NAME`; s3:PutObject and s3:GetObject on `kyc/*` (the presigned PUT and
 * GET URLs act with these, and HEAD needs GetObject); s3:ListBucket on `kyc/` only, without which a HEAD of a
 * file not yet uploaded answers 403 instead of 404; and the key's data-key use through S3 only. The bucket is
 * named from the function's own account and region (its fixed name), and granted on the function's role: a
 * reference to the bucket, or a grant in its policy or the key's, would tie the two stacks together.
 */
/**
 * `write`: objects are put by presigned URL (the KYC function); without it, only read and HEAD (KYC
 * submission asks whether a document's file arrived).
 */
export function bindKycBucket(fn: PaymentsFunction, key: kms.IKey, access: 'read' | 'readWrite'): void {
  grantBucketObjects(fn, key, {
    policyId: 'KycObjects',
    bucketName: kycBucketName,
    environment: KYC_BUCKET_ENV,
    prefix: kycBucketDefinition.objectPrefix,
    access,
    reason:
      'Objects are per merchant and document (kyc/<merchant>/<document>); the grant is the kyc/ prefix.',
  });
}
