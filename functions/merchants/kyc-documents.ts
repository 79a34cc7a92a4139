/** A merchant's KYC documents: an upload URL for the owner, the list for the owner and ops. */
import { systemClock } from '../../shared/adapters/clock.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { listKycDocuments, requestKycUpload } from '../../shared/app/kyc/documents.js';
import { cursorCodec } from '../../shared/composition/cursors.js';
import { httpHandler } from '../../shared/composition/http.js';
import { kycDocumentStore, kycFiles } from '../../shared/composition/kyc.js';
import { merchants } from '../../shared/composition/merchants.js';
import { byRoute } from '../../shared/http/handler.js';
import {
  CreateKycDocumentRequest,
  KycDocumentsQuery,
  MerchantIdParams,
} from '../../shared/http/schemas/kyc.js';
import { kycDocumentView, kycUploadView } from '../../shared/http/views/kyc.js';
import { listView } from '../../shared/http/views/list.js';

const deps = { merchants: merchants(), documents: kycDocumentStore(), files: kycFiles(), clock: systemClock };

const create = httpHandler({ params: MerchantIdParams, body: CreateKycDocumentRequest }, async (request) => {
  const { type, file_name: fileName, content_type: contentType } = request.body;
  const { document, upload } = await requestKycUpload(
    request.caller(),
    request.params.merchantId,
    { type, fileName, contentType },
    { ...deps, ids: randomIds },
  );
  return { status: 201, body: kycUploadView(document, upload) };
});

const list = httpHandler({ params: MerchantIdParams, query: KycDocumentsQuery }, async (request) => {
  const { limit, cursor } = request.query;
  const page = await listKycDocuments(
    request.caller(),
    request.params.merchantId,
    { limit, ...(cursor === undefined ? {} : { cursor }) },
    { ...deps, cursors: await cursorCodec() },
  );
  return { status: 200, body: listView(page.documents.map(kycDocumentView), page.nextCursor) };
});

export const handler = byRoute('kycDocuments', {
  'POST /merchant/v1/merchants/{merchantId}/kyc/documents': create,
  'GET /merchant/v1/merchants/{merchantId}/kyc/documents': list,
});
