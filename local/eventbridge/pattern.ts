/**
 * EventBridge content filtering for the local bus, following Event Ruler's semantics for the operators
 * `shared/infra/events.ts` allows: exact values, `prefix`, `anything-but`, `exists` and `numeric`.
 *
 * - Every field of a pattern must match (AND); any value in a field's list may match (OR).
 * - When the event holds an array, the field matches if any element does. When a nested pattern meets
 *   an array of objects, one element must match the whole nested pattern (Ruler's array consistency).
 * - Operators apply to leaves only: a field holding an object (or an empty array) counts as absent, so
 *   `exists: false` matches it, as Ruler documents.
 * - `anything-but` needs a value: it never matches an absent field, but matches any value not excluded,
 *   including `null`, booleans and values of the other type (a number for a string list).
 * - `prefix` matches strings only; `numeric` matches JSON numbers only.
 */
import type { EventPattern, PatternValue } from '../../shared/infra/events.js';
import { isRecord } from '../../shared/json.js';

export class InvalidEventPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventPatternError';
  }
}

type Leaf = string | number | boolean | null;
type NumericOperator = '<' | '<=' | '=' | '>' | '>=';

const OPERATORS = ['prefix', 'anything-but', 'exists', 'numeric'] as const;
const NUMERIC_OPERATORS: readonly string[] = ['<', '<=', '=', '>', '>='];

const validated = new WeakSet<object>();

/** True when the event matches every field of the pattern. Throws on a pattern it cannot evaluate. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  assertValidPattern(pattern);
  return matchNested(pattern, event);
}

/**
 * Throws an InvalidEventPatternError for anything EventBridge would reject or this matcher does not
 * implement (for example `suffix`, `wildcard`, `cidr`, `$or`), so a rule fails loudly at startup.
 */
export function assertValidPattern(pattern: unknown): asserts pattern is EventPattern {
  if (typeof pattern === 'object' && pattern !== null && validated.has(pattern)) return;
  validateObject(pattern, '');
  validated.add(pattern as object);
}

// --- Matching ----------------------------------------------------------------------------------------

function matchNested(pattern: EventPattern, value: unknown): boolean {
  const candidates = objectsIn(value);
  if (candidates.length === 0) return matchFields(pattern, undefined);
  return candidates.some((candidate) => matchFields(pattern, candidate));
}

function matchFields(pattern: EventPattern, object: Readonly<Record<string, unknown>> | undefined): boolean {
  return Object.entries(pattern).every(([field, rule]) => {
    const value = object !== undefined && Object.hasOwn(object, field) ? object[field] : undefined;
    return Array.isArray(rule) ? matchLeaf(rule, leavesIn(value)) : matchNested(rule, value);
  });
}

function matchLeaf(rules: readonly PatternValue[], values: readonly Leaf[]): boolean {
  return rules.some((rule) => {
    if (isOperator(rule) && 'exists' in rule) return rule.exists === values.length > 0;
    return values.some((value) => matchValue(rule, value));
  });
}

function matchValue(rule: PatternValue, value: Leaf): boolean {
  if (!isOperator(rule)) return rule === value;
  if ('prefix' in rule) return typeof value === 'string' && value.startsWith(rule.prefix);
  if ('numeric' in rule) return typeof value === 'number' && inRange(rule.numeric, value);
  if ('anything-but' in rule) {
    const excluded = rule['anything-but'];
    if (Array.isArray(excluded)) return !excluded.some((item) => item === value);
    if (typeof excluded === 'object')
      return !(typeof value === 'string' && value.startsWith(excluded.prefix));
    return excluded !== value;
  }
  return false;
}

function inRange(conditions: readonly (string | number)[], value: number): boolean {
  for (let index = 0; index < conditions.length; index += 2) {
    const operator = conditions[index];
    const operand = conditions[index + 1];
    if (typeof operand !== 'number' || !compare(operator as NumericOperator, value, operand)) return false;
  }
  return true;
}

function compare(operator: NumericOperator, value: number, operand: number): boolean {
  switch (operator) {
    case '<':
      return value < operand;
    case '<=':
      return value <= operand;
    case '=':
      return value === operand;
    case '>':
      return value > operand;
    case '>=':
      return value >= operand;
  }
}

function isOperator(rule: PatternValue): rule is Extract<PatternValue, object> {
  return typeof rule === 'object' && rule !== null;
}

/** The objects a nested pattern applies to: the value itself, or the objects inside (nested) arrays. */
function objectsIn(value: unknown): Readonly<Record<string, unknown>>[] {
  if (Array.isArray(value)) return value.flatMap(objectsIn);
  if (isRecord(value)) return [value];
  return [];
}

/** The leaf values at a path: the scalar itself, or the scalars inside (nested) arrays. */
function leavesIn(value: unknown): Leaf[] {
  if (Array.isArray(value)) return value.flatMap(leavesIn);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return [value];
  if (typeof value === 'number' && Number.isFinite(value)) return [value];
  return [];
}

// --- Validation --------------------------------------------------------------------------------------

function fail(path: string, message: string): never {
  throw new InvalidEventPatternError(`Event pattern ${path === '' ? '(root)' : path}: ${message}`);
}

function validateObject(pattern: unknown, path: string): void {
  if (!isRecord(pattern)) fail(path, 'must be an object of fields');
  const entries = Object.entries(pattern);
  if (entries.length === 0) fail(path, 'must name at least one field');
  for (const [field, rule] of entries) {
    const fieldPath = path === '' ? field : `${path}.${field}`;
    if (field === '$or') fail(fieldPath, '"$or" is not supported by the local matcher');
    if (Array.isArray(rule)) validateValues(rule, fieldPath);
    else validateObject(rule, fieldPath);
  }
}

function validateValues(values: readonly unknown[], path: string): void {
  if (values.length === 0) fail(path, 'must list at least one value');
  for (const value of values) {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') continue;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) fail(path, 'numbers must be finite');
      continue;
    }
    if (typeof value !== 'object' || Array.isArray(value))
      fail(path, `unsupported value ${JSON.stringify(value)}`);
    validateOperator(value, path);
  }
}

function validateOperator(rule: object, path: string): void {
  const keys = Object.keys(rule);
  const [name] = keys;
  if (keys.length !== 1 || name === undefined) fail(path, `an operator object must have exactly one key`);
  if (!(OPERATORS as readonly string[]).includes(name)) fail(path, `unsupported operator "${name}"`);
  const operand: unknown = Object.values(rule)[0];
  switch (name) {
    case 'prefix':
      if (typeof operand !== 'string') fail(path, 'prefix must be a string');
      return;
    case 'exists':
      if (typeof operand !== 'boolean') fail(path, 'exists must be true or false');
      return;
    case 'anything-but':
      validateAnythingBut(operand, path);
      return;
    default:
      validateNumeric(operand, path);
  }
}

function validateAnythingBut(operand: unknown, path: string): void {
  if (typeof operand === 'string') return;
  if (typeof operand === 'number' && Number.isFinite(operand)) return;
  if (Array.isArray(operand)) {
    const allStrings = operand.every((item) => typeof item === 'string');
    const allNumbers = operand.every((item) => typeof item === 'number' && Number.isFinite(item));
    if (operand.length === 0 || !(allStrings || allNumbers)) {
      fail(path, 'anything-but list must hold only strings or only numbers');
    }
    return;
  }
  if (typeof operand === 'object' && operand !== null) {
    const keys = Object.keys(operand);
    if (
      keys.length === 1 &&
      keys[0] === 'prefix' &&
      'prefix' in operand &&
      typeof operand.prefix === 'string'
    ) {
      return;
    }
    fail(path, `unsupported anything-but operator "${keys.join('", "')}"`);
  }
  fail(path, 'anything-but takes a string, a number, a list or {"prefix": ...}');
}

function validateNumeric(operand: unknown, path: string): void {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) {
    fail(path, 'numeric takes one or two [operator, number] pairs');
  }
  let lower = false;
  let upper = false;
  let bottom = Number.NEGATIVE_INFINITY;
  let top = Number.POSITIVE_INFINITY;
  for (let index = 0; index < operand.length; index += 2) {
    const operator: unknown = operand[index];
    const bound: unknown = operand[index + 1];
    if (typeof operator !== 'string' || !NUMERIC_OPERATORS.includes(operator)) {
      fail(path, `unsupported numeric operator ${JSON.stringify(operator)}`);
    }
    if (typeof bound !== 'number' || !Number.isFinite(bound))
      fail(path, `numeric ${operator} needs a number`);
    if (operator === '=') {
      if (operand.length !== 2) fail(path, 'numeric "=" cannot be combined with a range');
    } else if (operator.startsWith('>')) {
      if (lower) fail(path, 'numeric has two lower bounds');
      lower = true;
      bottom = bound;
    } else {
      if (upper) fail(path, 'numeric has two upper bounds');
      upper = true;
      top = bound;
    }
  }
  if (bottom >= top) fail(path, 'numeric lower bound must be below the upper bound');
}
