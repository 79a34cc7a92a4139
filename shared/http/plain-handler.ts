/**
 * The HTTP pipeline for routes that take no Idempotency-Key and count nothing against a caller's limit (the
 * health probes, the API reference, the reads, the webhook ingests): handler.ts's pipeline without the
 * idempotency and rate-limit machinery, so these functions bundle no Powertools Idempotency or JMESPath, and
 * the probes and the reference no AWS SDK client at all. Same logging,
 * tracing, metrics, parsing, deadline and error mapping (pipeline.ts). Which functions may use it, and that
 * their routes need neither, is checked by test/unit/shared/plain-handler.test.ts against the route table.
 */
import { withDeadline } from '../app/deadline.js';
import { guardApiKeyRoute } from './api-key-guard.js';
import {
  basePipeline,
  errorResponse,
  type HttpResult,
  recordResponse,
  requestDeadline,
  type TextResult,
  toResponse,
} from './pipeline.js';
import { type HttpRequest, parseRequest, type RequestSchemas } from './request.js';

export function plainHttpHandler<S extends RequestSchemas>(
  schemas: S,
  handle: (request: HttpRequest<S>) => Promise<HttpResult | TextResult>,
) {
  return basePipeline().handler(async (event, context) => {
    guardApiKeyRoute(event);
    // Invalid input is answered by the error mapper, as in handler.ts.
    const request = parseRequest(event, schemas);
    const deadlineAt = requestDeadline(context);
    let response: ReturnType<typeof toResponse>;
    try {
      response = toResponse(await withDeadline(deadlineAt, () => handle(request)));
    } catch (error) {
      response = errorResponse(error, event);
    }
    recordResponse(event.routeKey, response.statusCode);
    return response;
  });
}
