import * as z from 'zod/mini';
import { KYC_CONTENT_TYPES, KYC_DOCUMENT_STATUSES, KYC_DOCUMENT_TYPES } from '../../domain/kyc.js';
import { listOf } from './list.js';

const int = () => z.number().check(z.int());

export { MerchantIdParams } from './merchants.js';

export const CreateKycDocumentRequest = z
  .strictObject({
    type: z.enum(KYC_DOCUMENT_TYPES),
    file_name: z
      .string()
      .check(z.trim(), z.minLength(1), z.maxLength(255), z.regex(/^[^\p{Cc}/\\]+$/u, 'must be a file name'))
      .register(z.globalRegistry, { example: 'passport.pdf' }),
    content_type: z.enum(KYC_CONTENT_TYPES).register(z.globalRegistry, {
      description: 'The type of the file the owner will PUT: the upload URL signs it, S3 refuses any other',
    }),
  })
  .register(z.globalRegistry, { id: 'CreateKycDocumentRequest' });

export const KycDocumentsQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 10),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
});

const documentFields = {
  id: z.string().register(z.globalRegistry, { example: 'doc_4fJ2kQ9xLm3Tz8Rv1Yb6Nw' }),
  object: z.literal('kyc_document'),
  type: z.enum(KYC_DOCUMENT_TYPES),
  file_name: z.string(),
  content_type: z.enum(KYC_CONTENT_TYPES),
  status: z.enum(KYC_DOCUMENT_STATUSES).register(z.globalRegistry, {
    description:
      '`uploaded` once S3 holds the file (of the declared type, at most 10 MB); `rejected` when the file is larger',
  }),
  created: int().register(z.globalRegistry, { description: 'Epoch seconds' }),
};

export const KycDocument = z
  .object({
    ...documentFields,
    size: z.optional(int()).register(z.globalRegistry, { description: 'Bytes, once the file is in S3' }),
    rejection: z.optional(z.enum(['too_large', 'content_type_mismatch'])),
  })
  .register(z.globalRegistry, { id: 'KycDocument' });

export const KycDocumentUpload = z
  .object({
    ...documentFields,
    upload_url: z.string().register(z.globalRegistry, {
      description:
        'PUT the file here, with the same `Content-Type` header (S3 presigned URL; the signature covers it)',
    }),
    expires_at: int().register(z.globalRegistry, { description: 'Epoch seconds; S3 refuses the URL after' }),
  })
  .register(z.globalRegistry, { id: 'KycDocumentUpload' });

export const KycDocumentList = listOf(KycDocument, 'KycDocumentList');
