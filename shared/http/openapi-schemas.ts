/**
 * zod schemas (zod/mini or classic: both are zod 4 core types) as OpenAPI 3.1 Schema Objects, with zod's
 * own `toJSONSchema` and the metadata the schemas carry in `z.globalRegistry` (`id`, `description`,
 * `example`, a header's `param`).
 *
 * A schema with an `id` becomes a component, referenced as `#/components/schemas/<id>` wherever it is
 * used. What zod writes its own way is written as the document always has been: a literal as a one-value
 * `enum` (not `const`), a nullable as a type list (`["object", "null"]`), a record without
 * `propertyNames`, and metadata after the structure it describes.
 */
import { globalRegistry, toJSONSchema } from 'zod/mini';
import type * as core from 'zod/v4/core';

export type JsonSchema = core.JSONSchema.BaseSchema;

/** Metadata that says where a schema goes in the document, not what it is. */
const PLACEMENT_KEYS: ReadonlySet<string> = new Set(['id', 'param']);
const DEFS = '#/$defs/';
export const COMPONENT_SCHEMAS = '#/components/schemas/';

/** Collects the components the converted schemas refer to, in the order they are first referred to. */
export class SchemaComponents {
  readonly #defs = new Map<string, JsonSchema>();
  readonly #ordered = new Map<string, JsonSchema>();

  /** The Schema Object of `schema`: a `$ref` when it has an id, inline otherwise. */
  schemaOf(schema: core.$ZodType): JsonSchema {
    const {
      $defs,
      $schema: _draft,
      ...root
    } = toJSONSchema(schema, {
      target: 'draft-2020-12',
      io: 'input',
      unrepresentable: 'any',
      override: ({ zodSchema, jsonSchema }) => {
        asChecked(zodSchema, jsonSchema);
        placeMetadataLast(zodSchema, jsonSchema);
      },
    }) as JsonSchema;
    for (const [id, definition] of Object.entries($defs ?? {})) {
      const known = this.#defs.get(id);
      const written = normalized(definition);
      // Two schemas under one id would both be described as whichever was converted first.
      if (known !== undefined && JSON.stringify(known) !== JSON.stringify(written))
        throw new Error(`Two different schemas are registered as the component ${id}`);
      this.#defs.set(id, written);
    }
    const result = normalized(root);
    this.#visit(result);
    return result;
  }

  /** Every component referred to so far, each once. */
  schemas(): Record<string, JsonSchema> {
    return Object.fromEntries(this.#ordered);
  }

  #visit(node: unknown): void {
    if (Array.isArray(node)) {
      for (const item of node) this.#visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(COMPONENT_SCHEMAS)) {
        const id = value.slice(COMPONENT_SCHEMAS.length);
        const definition = this.#defs.get(id);
        if (definition === undefined || this.#ordered.has(id)) continue;
        this.#ordered.set(id, definition);
        this.#visit(definition);
      } else {
        this.#visit(value);
      }
    }
  }
}

/**
 * Bounds and patterns as the schema's own checks state them: zod also writes those its formats imply (an
 * integer's ±2^53 - 1, a date-time's regular expression), which say nothing `type` and `format` do not.
 */
function asChecked(zodSchema: core.$ZodTypes, jsonSchema: JsonSchema): void {
  const def = zodSchema._zod.def;
  const record = jsonSchema as Record<string, unknown>;
  const checks = (def.checks ?? []).map((check) => check._zod.def);
  if (def.type === 'number') {
    for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']) delete record[key];
    for (const check of checks) {
      if (check.check === 'greater_than') {
        const { value, inclusive } = check as core.$ZodCheckGreaterThanDef;
        record[inclusive ? 'minimum' : 'exclusiveMinimum'] = Number(value);
      } else if (check.check === 'less_than') {
        const { value, inclusive } = check as core.$ZodCheckLessThanDef;
        record[inclusive ? 'maximum' : 'exclusiveMaximum'] = Number(value);
      }
    }
  }
  // A default is said after the schema it is the default of.
  if (def.type === 'default' && 'default' in record) {
    const value = record.default;
    delete record.default;
    record.default = value;
  }
  if (def.type === 'string' && 'format' in def && def.format !== undefined) {
    const patterns = checks.filter(
      (check) =>
        check.check === 'string_format' && (check as core.$ZodCheckStringFormatDef).format === 'regex',
    );
    if (patterns.length === 0) delete record.pattern;
  }
}

/** zod writes a schema's metadata before its structure; the document has always had it after. */
function placeMetadataLast(zodSchema: core.$ZodTypes, jsonSchema: JsonSchema): void {
  const meta = globalRegistry.get(zodSchema);
  if (meta === undefined) return;
  const record = jsonSchema as Record<string, unknown>;
  for (const key of PLACEMENT_KEYS) delete record[key];
  for (const key of Object.keys(meta)) {
    if (PLACEMENT_KEYS.has(key) || !(key in record)) continue;
    const value = record[key];
    delete record[key];
    record[key] = value;
  }
}

/** One node and everything under it, written the document's way (see the module comment). */
function normalized(node: JsonSchema): JsonSchema {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'const') out.enum = [value];
    else if (key === '$ref' && typeof value === 'string' && value.startsWith(DEFS))
      out.$ref = COMPONENT_SCHEMAS + value.slice(DEFS.length);
    else if (key === 'propertyNames' && 'additionalProperties' in node) continue;
    else out[key] = deep(value);
  }
  return unionOfTypes(nullableAsTypeList(out as JsonSchema));
}

/**
 * zod writes a union of bare primitives as one list of types (`["string", "number"]`); the document keeps
 * it a union (`anyOf`). A list with `"null"` is a nullable and stays a list.
 */
function unionOfTypes(node: JsonSchema): JsonSchema {
  if (!Array.isArray(node.type) || node.type.includes('null')) return node;
  const { type, ...rest } = node;
  return { anyOf: type.map((one) => ({ type: one })), ...rest };
}

function deep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deep);
  if (typeof value === 'object' && value !== null) return normalized(value as JsonSchema);
  return value;
}

/** `{anyOf: [X, {type: "null"}]}` with X of one type becomes X with the type list `[type, "null"]`. */
function nullableAsTypeList(node: JsonSchema): JsonSchema {
  const { anyOf, ...rest } = node;
  if (anyOf?.length !== 2) return node;
  const [inner, nullType] = anyOf;
  if (inner === undefined || nullType === undefined) return node;
  if (typeof inner.type !== 'string' || Object.keys(nullType).join() !== 'type' || nullType.type !== 'null')
    return node;
  return { ...inner, type: [inner.type, 'null'], ...rest };
}
