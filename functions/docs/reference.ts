import { NotFoundError } from '../../shared/domain/errors.js';
import {
  CONTENT_SECURITY_POLICY,
  packageAssets,
  readPackageFile,
  referencePage,
  referenceScript,
} from '../../shared/http/api-reference.js';
import type { TextResult } from '../../shared/http/pipeline.js';
import { plainHttpHandler } from '../../shared/http/plain-handler.js';

// Read once per cold start: the assets only change with a deployment (and a new swagger-ui-dist).
const assetHeaders = { 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' };
const answers: Readonly<Record<string, TextResult>> = {
  'GET /docs': {
    status: 200,
    text: referencePage,
    contentType: 'text/html; charset=utf-8',
    headers: {
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    },
  },
  'GET /docs/assets/reference.js': {
    status: 200,
    text: referenceScript,
    contentType: 'text/javascript; charset=utf-8',
    headers: assetHeaders,
  },
  ...Object.fromEntries(
    Object.entries(packageAssets).map(([key, asset]) => [
      key,
      {
        status: 200,
        text: readPackageFile(asset.file),
        contentType: asset.contentType,
        headers: assetHeaders,
      },
    ]),
  ),
};

export const handler = plainHttpHandler({}, async (request) => {
  const answer = answers[request.routeKey];
  if (answer === undefined) throw new NotFoundError('Route');
  return answer;
});
