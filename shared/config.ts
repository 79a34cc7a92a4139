/**
 * Environment parsing. Each handler module reads the variables it needs once, at cold start, through
 * `readEnv(schema)`: a missing or malformed variable fails the cold start with a message naming it, not a
 * request later on.
 */
import * as z from 'zod/mini';
import { TABLE_ENV } from './infra/table.js';
import './zod-locale.js';

export function readEnv<S extends z.ZodMiniType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  const parsed = z.safeParse(schema, env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export const nonEmpty = z.string().check(z.trim(), z.minLength(1));

/**
 * A whole-number setting read from its text, with the value it takes when unset: `intSetting(10)` is a
 * positive integer, `intSetting(600, { min: 0 })` a count that may be zero.
 */
export function intSetting(fallback: number, bounds: { min?: number; max?: number } = {}) {
  const { min = 1, max } = bounds;
  const checks = [z.gte(min), ...(max === undefined ? [] : [z.lte(max)])];
  return z._default(z.pipe(z.coerce.number(), z.int().check(...checks)), fallback);
}

/** A positive number setting (not necessarily whole) read from its text, with its default. */
export function numberSetting(fallback: number) {
  return z._default(z.pipe(z.coerce.number(), z.number().check(z.positive())), fallback);
}

/**
 * One required variable, by name: what a composition factory reads for the resource it builds (a queue
 * URL, a bus name, a state machine ARN), failing with a message naming the variable when it is missing.
 */
export function readSetting(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = readEnv(z.object({ [name]: nonEmpty }), env)[name];
  if (value === undefined) throw new Error(`Invalid environment: ${name}: not set`);
  return value;
}

/**
 * The single table's name, from TABLE_ENV (set by the function construct's `bindTable` and by the local
 * stack): the one place a function reads it, failing the cold start when it is missing.
 */
export function readTableName(env: NodeJS.ProcessEnv = process.env): string {
  return readEnv(z.object({ [TABLE_ENV]: nonEmpty }), env)[TABLE_ENV];
}
