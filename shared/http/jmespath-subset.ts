/**
 * What `@aws-lambda-powertools/jmespath` becomes in a Lambda bundle (an esbuild alias, shared/infra/bundling.ts).
 * Powertools Idempotency evaluates two expressions of ours (idempotency.ts): SCOPE_KEY_PATH, a multi-select
 * list of fields, and `body`, a field. The whole JMESPath interpreter (lexer, parser, tree interpreter and its
 * function library, 23 KiB) was in every function with an idempotent route for those two. This evaluates
 * fields and multi-select lists of fields with JMESPath's semantics (a missing field, or a field of what is not
 * an object, is null; a multi-select list of null is null) and refuses any other expression at its first use,
 * so a new one fails loudly instead of hashing something else. test/unit/shared/jmespath-subset.test.ts holds
 * it equal to Powertools' JMESPath on those shapes. Never used outside a bundle: the local stack and the
 * tests run Powertools' own.
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function field(data: unknown, name: string): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !Object.hasOwn(data, name))
    return null;
  return (data as Record<string, unknown>)[name] ?? null;
}

/** `field` or `[field, field, …]` evaluated against `data`; any other expression throws. */
export function search(expression: string, data: unknown, _options?: unknown): unknown {
  const text = expression.trim();
  if (IDENTIFIER.test(text)) return field(data, text);
  if (text.startsWith('[') && text.endsWith(']')) {
    const names = text
      .slice(1, -1)
      .split(',')
      .map((name) => name.trim());
    if (names.every((name) => IDENTIFIER.test(name))) {
      if (data === null || data === undefined) return null;
      return names.map((name) => field(data, name));
    }
  }
  throw new Error(`JMESPath expression not supported in a Lambda bundle: ${expression}`);
}

/**
 * Powertools' custom function library (`@aws-lambda-powertools/jmespath/functions`): IdempotencyConfig
 * creates one and only compares its constructor; no supported expression calls a function.
 */
export class PowertoolsFunctions {}
