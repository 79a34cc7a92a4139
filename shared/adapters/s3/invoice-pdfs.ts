/**
 * Invoice PDFs in the private, KMS-encrypted invoices bucket: one object per invoice,
 * `invoices/<merchantId>/<mode>/<invoiceId>.pdf`, written once (rendering is deterministic) and read back.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { InvoicePdfStore } from '../../app/invoice-documents/ports.js';
import type { Tenant } from '../../domain/customer.js';
import { invoiceBucketDefinition } from '../../infra/invoice-bucket.js';

export function invoicePdfKey(tenant: Tenant, invoiceId: string): string {
  for (const id of [tenant.merchantId, invoiceId]) {
    if (!/^[A-Za-z0-9_]{1,128}$/.test(id)) throw new Error('Not an id fit for an object key');
  }
  return `${invoiceBucketDefinition.objectPrefix}${tenant.merchantId}/${tenant.mode}/${invoiceId}.pdf`;
}

export class S3InvoicePdfs implements InvoicePdfStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async get(tenant: Tenant, invoiceId: string): Promise<Uint8Array | undefined> {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: invoicePdfKey(tenant, invoiceId) }),
      );
      return answer.Body === undefined ? undefined : await answer.Body.transformToByteArray();
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw error;
    }
  }

  async put(tenant: Tenant, invoiceId: string, pdf: Uint8Array): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: invoicePdfKey(tenant, invoiceId),
        Body: pdf,
        ContentType: 'application/pdf',
      }),
    );
  }
}

function isNoSuchKey(error: unknown): boolean {
  const name = (error as { name?: unknown } | undefined)?.name;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
    ?.httpStatusCode;
  return name === 'NoSuchKey' || name === 'NotFound' || status === 404;
}
