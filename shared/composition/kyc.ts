/** KYC documents: their records on the single table, their files in the KYC bucket (KYC_BUCKET_NAME). */
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { s3 } from '../adapters/aws/s3-client.js';
import { systemClock } from '../adapters/clock.js';
import { DynamoDbKycDocuments } from '../adapters/dynamodb/kyc-documents.js';
import { S3KycFiles } from '../adapters/s3/kyc-files.js';
import { KycUploadChecks } from '../app/kyc/documents.js';
import { readSetting, readTableName } from '../config.js';
import { KYC_BUCKET_ENV } from '../infra/kyc-bucket.js';
import { once } from '../lazy.js';
import { merchants } from './merchants.js';

export const kycDocumentStore = once(() => new DynamoDbKycDocuments(documentClient(), readTableName()));

export const kycFiles = once(() => new S3KycFiles(s3(), readSetting(KYC_BUCKET_ENV)));

/** What KYC submission uses to know a document arrived (the port `KycDocuments`). */
export const kycDocuments = once(
  () =>
    new KycUploadChecks({
      merchants: merchants(),
      documents: kycDocumentStore(),
      files: kycFiles(),
      clock: systemClock,
    }),
);
