/**
 * KYC document files in the private, KMS-encrypted KYC bucket, reached only through presigned URLs. Each
 * document is one object, `kyc/<merchantId>/<documentId>`: the file name the owner gave stays in the
 * document's record, never in a key.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { KycFiles, PresignedUrl } from '../../app/kyc/ports.js';
import { KYC_UPLOAD_URL_TTL_SECONDS, type KycDocument } from '../../domain/kyc.js';
import { kycBucketDefinition } from '../../infra/kyc-bucket.js';

/** How long a download URL (ops' review) works. */
const DOWNLOAD_URL_TTL_SECONDS = 300;

export function kycObjectKey(merchantId: string, documentId: string): string {
  for (const id of [merchantId, documentId]) {
    if (!/^[A-Za-z0-9_]{1,128}$/.test(id)) throw new Error('Not an id fit for an object key');
  }
  return `${kycBucketDefinition.objectPrefix}${merchantId}/${documentId}`;
}

export class S3KycFiles implements KycFiles {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  /**
   * A PUT URL with `content-type` among its signed headers: S3 refuses a PUT without exactly that header
   * (SignatureDoesNotMatch). A presigned PUT cannot bound the size (only a presigned POST policy can); the
   * size is checked when the object is looked at (shared/domain/kyc.ts).
   */
  async uploadUrl(document: KycDocument, now: Date): Promise<PresignedUrl> {
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: kycObjectKey(document.merchantId, document.documentId),
      ContentType: document.contentType,
    });
    const url = await getSignedUrl(this.client, command, {
      expiresIn: KYC_UPLOAD_URL_TTL_SECONDS,
      signingDate: now,
      signableHeaders: new Set(['content-type']),
    });
    return { url, expiresAt: epochSeconds(now) + KYC_UPLOAD_URL_TTL_SECONDS };
  }

  async head(document: KycDocument): Promise<{ size: number; contentType?: string } | undefined> {
    try {
      const answer = await this.client.send(
        new HeadObjectCommand({
          Bucket: this.bucket,
          Key: kycObjectKey(document.merchantId, document.documentId),
        }),
      );
      return {
        size: answer.ContentLength ?? 0,
        ...(answer.ContentType === undefined ? {} : { contentType: answer.ContentType }),
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async downloadUrl(document: KycDocument, now: Date): Promise<PresignedUrl> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: kycObjectKey(document.merchantId, document.documentId),
      ResponseContentType: document.contentType,
      ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(document.fileName)}`,
    });
    const url = await getSignedUrl(this.client, command, {
      expiresIn: DOWNLOAD_URL_TTL_SECONDS,
      signingDate: now,
    });
    return { url, expiresAt: epochSeconds(now) + DOWNLOAD_URL_TTL_SECONDS };
  }
}

function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** HEAD answers have no body, so a missing object is a bare 404 (`NotFound`), not `NoSuchKey`. */
function isNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === 'NotFound' || error.name === 'NoSuchKey' || status === 404;
}
