/**
 * Environment parsing. Each handler module reads the variables it needs once, at cold start, through
 * `readEnv(schema)`: a missing or malformed variable fails the cold start with a message naming it, not a
 * request later on.
 */
import { z } from 'zod';

export function readEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export const nonEmpty = z.string().trim().min(1);
