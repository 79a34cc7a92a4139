/**
 * The error answers' schemas in the OpenAPI document (shared/http/openapi-errors.ts): converted once per
 * document and copied with each status's codes, each still exactly what zod converts for those codes.
 */
import type { ErrorCode } from '../../../shared/domain/errors.js';
import { buildOpenApiDocument } from '../../../shared/http/openapi.js';
import { errorSchema, errorSchemaObject } from '../../../shared/http/openapi-errors.js';
import { type JsonSchema, SchemaComponents } from '../../../shared/http/openapi-schemas.js';

/** The `error.code` enum of an error answer's schema, or undefined for another schema. */
function codesOf(schema: unknown): ErrorCode[] | undefined {
  const codes = (schema as JsonSchema | undefined)?.properties?.error;
  const code = typeof codes === 'object' ? codes.properties?.code : undefined;
  return typeof code === 'object' && Array.isArray(code.enum) ? (code.enum as ErrorCode[]) : undefined;
}

describe('Error answers in the OpenAPI document', () => {
  it('are, under every error status of every operation, what zod converts for their codes', () => {
    const document = buildOpenApiDocument();
    let checked = 0;
    for (const pathItem of Object.values(document.paths ?? {}))
      for (const operation of Object.values(pathItem ?? {}))
        for (const [status, response] of Object.entries(operation.responses ?? {})) {
          if (Number(status) < 400 || !('content' in response)) continue;
          const schema = response.content?.['application/json']?.schema;
          const codes = codesOf(schema);
          if (codes === undefined) continue;
          expect(schema).toEqual(new SchemaComponents().schemaOf(errorSchema(codes)));
          checked += 1;
        }
    expect(checked).toBeGreaterThan(100);
  });

  it('are copies: narrowing one leaves the others and the template alone', () => {
    const components = new SchemaComponents();
    const one = errorSchemaObject(['NOT_FOUND'], components);
    const two = errorSchemaObject(['FORBIDDEN', 'NOT_FOUND'], components);
    expect(codesOf(one)).toEqual(['NOT_FOUND']);
    expect(codesOf(two)).toEqual(['FORBIDDEN', 'NOT_FOUND']);
    expect(codesOf(errorSchemaObject(['INTERNAL'], components))).toEqual(['INTERNAL']);
    expect(components.schemas()).toEqual({});
  });

  it('is ErrorResponse itself for no codes', () => {
    const components = new SchemaComponents();
    expect(errorSchemaObject([], components)).toEqual(new SchemaComponents().schemaOf(errorSchema([])));
  });
});
