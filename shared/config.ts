/**
 * Environment parsing. Each handler module reads the variables it needs once, at cold start, through
 * `readEnv(schema)`: a missing or malformed variable fails the cold start with a message naming it, not a
 * request later on.
 */
import { z } from 'zod';
import { TABLE_ENV } from './infra/table.js';

export function readEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export const nonEmpty = z.string().trim().min(1);

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
