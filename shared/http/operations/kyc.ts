import type { OperationDoc } from '../operations.js';
import {
  CreateKycDocumentRequest,
  KycDocumentList,
  KycDocumentsQuery,
  KycDocumentUpload,
  MerchantIdParams,
} from '../schemas/kyc.js';

/** KYC documents of a merchant (API.md "Onboarding"). */
export const kycOperations: Readonly<Record<string, OperationDoc>> = {
  'POST /merchant/v1/merchants/{merchantId}/kyc/documents': {
    operationId: 'createKycDocument',
    description:
      'Answers an S3 presigned PUT URL for the file (at most 10 MB; PDF, PNG or JPEG). PUT the file with the ' +
      'same `Content-Type`: S3 refuses another type (the signature covers the header) and an expired URL. ' +
      'A file larger than 10 MB is stored by S3 but the document becomes `rejected` when it is checked.',
    request: { params: MerchantIdParams, body: CreateKycDocumentRequest },
    responses: {
      201: { description: 'The document, awaiting its file, and where to PUT it', schema: KycDocumentUpload },
    },
    errors: {
      NOT_FOUND: 'No such merchant, or the caller does not own it',
      MERCHANT_STATE: 'The merchant is not `kyc_required` or `rejected`',
    },
  },
  'GET /merchant/v1/merchants/{merchantId}/kyc/documents': {
    operationId: 'listKycDocuments',
    description: 'The owner or ops. Documents awaiting their file are checked against S3 first.',
    request: { params: MerchantIdParams, query: KycDocumentsQuery },
    responses: { 200: { description: "One page of the merchant's documents", schema: KycDocumentList } },
    errors: { NOT_FOUND: 'No such merchant, or the caller is neither its owner nor ops' },
  },
};
