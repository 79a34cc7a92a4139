/**
 * The KYC documents' bucket: CDK creates it in the stateful stack and the local stack creates it in its S3
 * engine, both from this module. Functions learn its name from `KYC_BUCKET_NAME`; every object lives under
 * `kyc/`, and the function's grants reach that prefix only.
 */
export const KYC_BUCKET_ENV = 'KYC_BUCKET_NAME';

/**
 * Set to `true` by the local stack only: its S3 engine answers path-style URLs on its own address
 * (`http://127.0.0.1:<port>/<bucket>/<key>`); on AWS the SDK's virtual-hosted URLs are used.
 */
export const S3_FORCE_PATH_STYLE_ENV = 'S3_FORCE_PATH_STYLE';

/**
 * The bucket's name on AWS: fixed per account and region, so the stateless stack names it (and its objects'
 * ARN) from its own account and region instead of importing it from the stateful stack.
 */
export function kycBucketName(account: string, region: string): string {
  return `tween-payments-kyc-${account}-${region}`;
}

export const kycBucketDefinition = {
  /** The bucket's name in the local S3 engine (AWS names it per stack). */
  localName: 'tween-payments-kyc',
  /** Where document objects live: `kyc/<merchantId>/<documentId>`. */
  objectPrefix: 'kyc/',
  /** Uploads never completed (a multipart upload a client abandoned) are cleaned up after this many days. */
  abortIncompleteUploadAfterDays: 1,
} as const;
