/**
 * What each route takes and answers, for the OpenAPI document. Keyed by the route table's route key; the
 * handlers parse with the very same schemas, so the document cannot describe a request they would refuse.
 */
import type { z } from 'zod';
import type { RequestSchemas } from './request.js';
import { IntegrationsResponse, ProbeResponse } from './schemas/health.js';

export interface OperationDoc {
  request?: RequestSchemas;
  responses: Readonly<Record<number, { description: string; schema?: z.ZodType }>>;
}

export const operations: Readonly<Record<string, OperationDoc>> = {
  'GET /health': { responses: { 200: { description: 'The service is alive', schema: ProbeResponse } } },
  'GET /health/ready': { responses: { 200: { description: 'Ready for traffic', schema: ProbeResponse } } },
  'GET /health/startup': {
    responses: { 200: { description: 'Cold start finished', schema: ProbeResponse } },
  },
  'GET /health/integrations': {
    responses: {
      200: { description: 'Every integration answered', schema: IntegrationsResponse },
      503: { description: 'At least one integration failed', schema: IntegrationsResponse },
    },
  },
  'GET /openapi.json': { responses: { 200: { description: 'This document' } } },
};
