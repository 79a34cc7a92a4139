/**
 * The JMESPath the Lambda bundles carry instead of Powertools' interpreter (shared/http/jmespath-subset.ts,
 * an esbuild alias): for the expressions Idempotency evaluates (SCOPE_KEY_PATH and `body`) and their shapes, the
 * same answer as Powertools' own JMESPath on every kind of scope, so a record's key and its body hash are
 * the same on AWS as here; any other expression is refused.
 */

import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { search as powertoolsSearch } from '@aws-lambda-powertools/jmespath';
import { PowertoolsFunctions as PowertoolsLibrary } from '@aws-lambda-powertools/jmespath/functions';
import { SCOPE_KEY_PATH } from '../../../shared/http/idempotency.js';
import { PowertoolsFunctions, search } from '../../../shared/http/jmespath-subset.js';
import { LAMBDA_ALIASES } from '../../../shared/infra/bundling.js';

const scopes: unknown[] = [
  {
    caller: '@alice:tween.example',
    method: 'POST',
    path: '/payments/v1/request',
    key: 'k-1',
    body: { a: 1 },
  },
  { caller: null, method: 'POST', path: '/webhooks/v1/stripe', key: 'k-2', body: 'not json' },
  { caller: 'bob', method: 'PUT', path: '/x', key: 'k', body: null },
  { caller: 'bob', method: 'PUT', path: '/x', key: 'k', body: [1, { b: [2, 3] }] },
  { method: 'GET', path: '/x' },
  { caller: 'c', method: 'POST', path: '/p', key: 'k', body: { z: 1, a: { y: [false, 0, ''] } }, extra: 1 },
  { caller: false, method: 0, path: '', key: '', body: {} },
  {},
  [],
  ['caller'],
  'text',
  7,
  null,
];

describe('JMESPath in the Lambda bundles', () => {
  it.each([SCOPE_KEY_PATH, 'body', 'caller', ' [ method , key ] ', '[body]'])(
    'answers %s as Powertools does on every scope',
    (expression) => {
      for (const data of scopes)
        expect({ data, answer: search(expression, data) }).toEqual({
          data,
          answer: powertoolsSearch(expression, data as never),
        });
    },
  );

  it('reads only own fields', () => {
    expect(search('constructor', {})).toBeNull();
    expect(search('[toString]', { a: 1 })).toEqual([null]);
  });

  it.each(['body.amount', 'body[0]', '[caller, body.a]', 'length(path)', '*', '', '[]', '{a: a}', '`1`'])(
    'refuses %s, which it does not evaluate',
    (expression) => {
      expect(() => search(expression, { body: { amount: 1 } })).toThrow(/not supported in a Lambda bundle/);
    },
  );

  it('stands for both of Powertools JMESPath entry points, and Idempotency accepts its function library', () => {
    expect(LAMBDA_ALIASES['@aws-lambda-powertools/jmespath']).toBe('./shared/http/jmespath-subset.ts');
    expect(LAMBDA_ALIASES['@aws-lambda-powertools/jmespath/functions']).toBe(
      './shared/http/jmespath-subset.ts',
    );
    expect(new PowertoolsLibrary()).toBeInstanceOf(PowertoolsLibrary);
    expect(
      () => new IdempotencyConfig({ jmesPathOptions: new PowertoolsFunctions() as never }),
    ).not.toThrow();
  });
});
