/**
 * Typed reads of parsed form params, failing the way Stripe does: unknown parameters are rejected
 * (`parameter_unknown`), a missing required one is `parameter_missing`, an empty string is Stripe's way of
 * unsetting a value (so it reads as absent, and is refused for a required param), integers and booleans
 * must parse exactly.
 */
import { invalidParam, missingParam, unknownParam } from './errors.js';
import type { FormParams, FormValue } from './form.js';
import type { Metadata } from './objects.js';

export function rejectUnknownParams(params: FormParams, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) throw unknownParam(key);
  }
}

function emptyNotAllowed(name: string) {
  return invalidParam(
    `You passed an empty string for '${name}'. We assume empty values are an attempt to unset a parameter; however '${name}' cannot be unset. You should remove '${name}' from your request or supply a non-empty value.`,
    { code: 'parameter_invalid_empty', param: name },
  );
}

function present(params: FormParams, name: string): FormValue | undefined {
  const value = params[name];
  return value === '' ? undefined : value;
}

export function optionalString(params: FormParams, name: string): string | undefined {
  const value = present(params, name);
  if (value === undefined || typeof value === 'string') return value;
  throw invalidParam(`Invalid string: ${JSON.stringify(value)}`, { param: name });
}

export function requiredString(params: FormParams, name: string): string {
  if (params[name] === '') throw emptyNotAllowed(name);
  const value = optionalString(params, name);
  if (value === undefined) throw missingParam(name);
  return value;
}

/** An integer of at least 1, as every amount is. */
export function optionalPositiveInteger(params: FormParams, name: string): number | undefined {
  const raw = optionalString(params, name);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw)) {
    throw invalidParam(`Invalid integer: ${raw}`, { code: 'parameter_invalid_integer', param: name });
  }
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw invalidParam('This value must be greater than or equal to 1.', {
      code: 'parameter_invalid_integer',
      param: name,
    });
  }
  return value;
}

export function requiredPositiveInteger(params: FormParams, name: string): number {
  if (params[name] === '') throw emptyNotAllowed(name);
  const value = optionalPositiveInteger(params, name);
  if (value === undefined) throw missingParam(name);
  return value;
}

export function optionalBoolean(params: FormParams, name: string): boolean | undefined {
  const raw = optionalString(params, name);
  if (raw === undefined) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw invalidParam(`Invalid boolean: ${raw}`, { param: name });
}

/** `Invalid capture_method: must be one of automatic, automatic_async, or manual` */
export function optionalEnum<T extends string>(
  params: FormParams,
  name: string,
  values: readonly T[],
): T | undefined {
  const raw = optionalString(params, name);
  if (raw === undefined) return undefined;
  const match = values.find((value) => value === raw);
  if (match !== undefined) return match;
  const listed =
    values.length > 1 ? `${values.slice(0, -1).join(', ')}, or ${values.at(-1)}` : values.join('');
  throw invalidParam(`Invalid ${name}: must be one of ${listed}`, { param: name });
}

export function optionalStringArray(params: FormParams, name: string): string[] | undefined {
  const value = present(params, name);
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string')) return value;
  throw invalidParam(`Invalid array`, { param: name });
}

export function optionalHash(params: FormParams, name: string): FormParams | undefined {
  const value = present(params, name);
  if (value === undefined) return undefined;
  if (typeof value === 'object' && !Array.isArray(value)) return value;
  throw invalidParam(`Invalid object`, { param: name });
}

/** Metadata is a hash of strings; an empty value unsets that key. */
function metadataUpdates(params: FormParams): Array<[string, string]> | undefined {
  const hash = optionalHash(params, 'metadata');
  if (hash === undefined) return undefined;
  return Object.entries(hash).map(([key, value]) => {
    if (typeof value !== 'string') {
      throw invalidParam('Metadata values must be strings.', { param: `metadata[${key}]` });
    }
    return [key, value];
  });
}

export function optionalMetadata(params: FormParams): Metadata | undefined {
  const updates = metadataUpdates(params);
  if (updates === undefined) return undefined;
  return Object.fromEntries(updates.filter(([, value]) => value !== ''));
}

/** Applies `metadata[...]` updates to existing metadata, as an update endpoint does. */
export function mergeMetadata(current: Metadata, params: FormParams): Metadata {
  // A Map, so that any key (even `__proto__`) is an ordinary entry.
  const merged = new Map(Object.entries(current));
  for (const [key, value] of metadataUpdates(params) ?? []) {
    if (value === '') merged.delete(key);
    else merged.set(key, value);
  }
  return Object.fromEntries(merged);
}
