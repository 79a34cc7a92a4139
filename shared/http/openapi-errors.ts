/**
 * The schema of an error answer in the OpenAPI document: ErrorResponse with `code` narrowed to the codes one
 * status stands for on one operation. The document has one per error status of every operation (about 250 of
 * its 335 schemas), all of the same shape, and converting each with zod's toJSONSchema was most of the
 * openapi function's cold start. errorSchemaObject converts the shape once per document and copies it with
 * each list of codes; test/unit/shared/openapi-errors.test.ts holds each copy equal to its own conversion.
 */
import * as z from 'zod/mini';
import type * as core from 'zod/v4/core';
import type { ErrorCode } from '../domain/errors.js';
import type { JsonSchema, SchemaComponents } from './openapi-schemas.js';
import { ErrorResponse } from './schemas/common.js';

/** The zod schema of an error answer carrying one of `codes` (ErrorResponse itself when there are none). */
export function errorSchema(codes: readonly ErrorCode[]): core.$ZodType {
  const [first, ...rest] = codes;
  if (first === undefined) return ErrorResponse;
  return z.object({
    error: z.object({
      code: z
        .enum([first, ...rest])
        .register(z.globalRegistry, { description: 'One of the codes this status stands for here' }),
      message: z.string(),
      details: z.optional(z.record(z.string(), z.unknown())),
    }),
  });
}

/** Each document's converted shape, its `error.code` enum to be replaced. */
const templates = new WeakMap<SchemaComponents, JsonSchema>();

/** `components.schemaOf(errorSchema(codes))`, without converting the same shape again. */
export function errorSchemaObject(codes: readonly ErrorCode[], components: SchemaComponents): JsonSchema {
  if (codes.length === 0) return components.schemaOf(errorSchema(codes));
  let template = templates.get(components);
  if (template === undefined) {
    template = components.schemaOf(errorSchema(['INTERNAL']));
    templates.set(components, template);
  }
  const copy = structuredClone(template);
  codeSchemaOf(copy).enum = [...codes];
  return copy;
}

function codeSchemaOf(schema: JsonSchema): JsonSchema {
  const error = schema.properties?.error;
  const code = typeof error === 'object' ? error.properties?.code : undefined;
  if (typeof code !== 'object' || !Array.isArray(code.enum))
    throw new Error('The error schema has no error.code enum to narrow');
  return code;
}
