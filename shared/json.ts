/**
 * Narrowing parsed JSON (or any unknown value) to an object whose fields can be read, the one copy that the
 * adapters, the HTTP layer, the use cases, the local stack and the benchmarks share. Pure, no imports: any
 * layer may use it.
 */

/** A JSON object: its fields are still unknown, to be narrowed one by one. */
export type JsonRecord = Record<string, unknown>;

/** Whether the value is a JSON object: not null, not an array, not a string, number or boolean. */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is a JSON object, else undefined. */
export function recordOf(value: unknown): JsonRecord | undefined {
  return isRecord(value) ? value : undefined;
}

/** The value when it is a string, else undefined. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The text parsed when it is a JSON object; undefined when it is not JSON or another JSON value. */
export function parseJsonRecord(text: string): JsonRecord | undefined {
  try {
    return recordOf(JSON.parse(text));
  } catch {
    return undefined;
  }
}
