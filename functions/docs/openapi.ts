import { buildOpenApiDocument } from '../../shared/http/openapi.js';
import { plainHttpHandler } from '../../shared/http/plain-handler.js';

// Built once per cold start: the document only changes with a deployment.
const document = buildOpenApiDocument();

export const handler = plainHttpHandler({}, async () => ({ status: 200, body: document }));
