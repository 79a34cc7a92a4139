/**
 * The S3 client, created once per cold start on first use (dynamodb-client.ts says why one module per client).
 * Checksums only when S3 requires them: by default the SDK would put a CRC32 of the empty body into every
 * presigned PUT URL, and S3 would then refuse the owner's file as a bad digest.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { S3_FORCE_PATH_STYLE_ENV } from '../../infra/kyc-bucket.js';
import { once } from '../../lazy.js';
import { traced } from '../../observability/trace-hooks.js';

export function s3ClientConfig(env: NodeJS.ProcessEnv = process.env): S3ClientConfig {
  return {
    forcePathStyle: env[S3_FORCE_PATH_STYLE_ENV] === 'true',
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

export const s3 = once(() => traced(new S3Client(s3ClientConfig())));
