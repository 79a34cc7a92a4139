/**
 * Stripe's v1 API takes `application/x-www-form-urlencoded` bodies (and query strings for GET) with
 * bracketed keys for structure, which is how the SDK encodes nested params:
 *
 *   metadata[order]=1&payment_method_types[0]=card&expand[]=latest_charge
 *     → { metadata: { order: '1' }, payment_method_types: ['card'], expand: ['latest_charge'] }
 *
 * A hash whose keys are all indexes (or `[]`) becomes an array, in index order.
 */
import { invalidParam } from './errors.js';

export type FormValue = string | FormParams | FormValue[];
export interface FormParams {
  [key: string]: FormValue;
}

/** While building, every container is a hash; arrays are recognised when finishing. */
interface Tree {
  [key: string]: string | Tree;
}

const KEY_PATTERN = /^([^[\]]+)((?:\[[^[\]]*\])*)$/;
const INDEX_PATTERN = /^(0|[1-9]\d*)$/;

export function parseForm(encoded: string): FormParams {
  // Null-prototype hashes, so a key such as `__proto__` is just a key.
  const root: Tree = Object.create(null);
  for (const [key, value] of new URLSearchParams(encoded)) {
    assign(root, keyPath(key), value, key);
  }
  return finish(root);
}

/** `a[b][]` → `['a', 'b', '']`; a key that does not follow the bracket syntax is taken literally. */
function keyPath(key: string): string[] {
  const match = KEY_PATTERN.exec(key);
  if (match === null) return [key];
  const [, head = key, brackets = ''] = match;
  const rest = brackets === '' ? [] : brackets.slice(1, -1).split('][');
  return [head, ...rest];
}

function assign(tree: Tree, path: string[], value: string, fullKey: string): void {
  let node = tree;
  for (const [index, rawSegment] of path.entries()) {
    // `[]` appends: the next free position of this hash.
    const segment = rawSegment === '' ? String(Object.keys(node).length) : rawSegment;
    if (index === path.length - 1) {
      if (typeof node[segment] === 'object') throw conflicting(fullKey);
      node[segment] = value;
      return;
    }
    const existing = node[segment];
    if (typeof existing === 'string') throw conflicting(fullKey);
    const child: Tree = existing ?? Object.create(null);
    node[segment] = child;
    node = child;
  }
}

function conflicting(key: string) {
  return invalidParam(`Invalid request: '${key}' is given both as a value and as a hash.`, {
    param: key,
  });
}

function finish(tree: Tree): FormParams {
  const out: FormParams = Object.create(null);
  for (const [key, value] of Object.entries(tree)) out[key] = finishValue(value);
  return out;
}

function finishValue(value: string | Tree): FormValue {
  if (typeof value === 'string') return value;
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every((key) => INDEX_PATTERN.test(key))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((index) => finishValue(value[String(index)] ?? ''));
  }
  return finish(value);
}
