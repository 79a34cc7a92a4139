import { httpHandler } from '../../shared/composition/http.js';
import { buildOpenApiDocument } from '../../shared/http/openapi.js';

// Built once per cold start: the document only changes with a deployment.
const document = buildOpenApiDocument();

export const handler = httpHandler({}, async () => ({ status: 200, body: document }));
