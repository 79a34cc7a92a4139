/**
 * What the service's private buckets (KYC documents, invoice PDFs) share: the bucket itself (retained, on the
 * service's customer-managed key with a bucket key, no public access, TLS only, versioned, server access logs)
 * and the grant a function gets on its objects: its name in the environment, put/get on the prefix, ListBucket
 * on the prefix only (so a missing object answers 404, not 403), and the key through S3 only. The grant is on
 * the function's role, named from its own account and region: a reference to the bucket, or a grant in its
 * policy or the key's, would tie the stateless stack to the stateful one.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { PaymentsFunction } from './payments-function.js';

export interface PrivateBucketProps {
  bucketName: string;
  key: kms.IKey;
  accessLogs: s3.IBucket;
  /** The objects' prefix (`kyc/`, `invoices/`), also the prefix of its access logs. */
  prefix: string;
  abortIncompleteUploadAfterDays: number;
}

/** The bucket, as `Bucket` under `scope`. Replaced objects' older versions are kept a year. */
export function privateBucket(scope: Construct, props: PrivateBucketProps): s3.Bucket {
  return new s3.Bucket(scope, 'Bucket', {
    bucketName: props.bucketName,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: props.key,
    // One data key per bucket instead of a KMS call per object.
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    versioned: true,
    serverAccessLogsBucket: props.accessLogs,
    serverAccessLogsPrefix: props.prefix,
    lifecycleRules: [
      {
        id: 'AbandonedUploads',
        abortIncompleteMultipartUploadAfter: Duration.days(props.abortIncompleteUploadAfterDays),
      },
      { id: 'ReplacedFiles', noncurrentVersionExpiration: Duration.days(365) },
    ],
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

export interface ObjectGrant {
  /** The id of the function's policy that holds the object grant (its one wildcard, acknowledged alone). */
  policyId: string;
  /** The bucket's name for an account and region (`<AWS::AccountId>`, `<AWS::Region>` for cdk-nag's id). */
  bucketName: (account: string, region: string) => string;
  environment: string;
  prefix: string;
  access: 'read' | 'readWrite';
  /** Why the prefix wildcard is as narrow as it gets (cdk-nag AwsSolutions-IAM5). */
  reason: string;
}

export function grantBucketObjects(fn: PaymentsFunction, key: kms.IKey, grant: ObjectGrant): void {
  const stack = Stack.of(fn);
  const name = grant.bucketName(stack.account, stack.region);
  const bucketArn = `arn:${stack.partition}:s3:::${name}`;
  const { prefix } = grant;
  fn.addEnvironment(grant.environment, name);
  const role = fn.role;
  if (role === undefined) throw new Error('A catalogue function always has its own role');
  const objects = new iam.Policy(fn, grant.policyId, {
    roles: [role],
    statements: [
      new iam.PolicyStatement({
        actions: grant.access === 'readWrite' ? ['s3:PutObject', 's3:GetObject'] : ['s3:GetObject'],
        resources: [`${bucketArn}/${prefix}*`],
      }),
    ],
  });
  Validations.of(objects).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${grant.bucketName('<AWS::AccountId>', '<AWS::Region>')}/${prefix}*]`,
    reason: grant.reason,
  });
  iam.Grant.addToPrincipal({
    grantee: fn,
    actions: ['s3:ListBucket'],
    resourceArns: [bucketArn],
    conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
  });
  iam.Grant.addToPrincipal({
    grantee: fn,
    actions: grant.access === 'readWrite' ? ['kms:GenerateDataKey', 'kms:Decrypt'] : ['kms:Decrypt'],
    resourceArns: [key.keyArn],
    conditions: { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } },
  });
}
