/**
 * What every refused request must look like (API.md, Conventions): a 4xx, the one error shape, a code of
 * the contract's table with the status the table gives it, and nothing inside that came from a stack
 * trace, an SDK, or another user's data.
 */
import type { RawAnswer } from './hostile-stack.js';

/** The error table of API.md, Conventions: the only codes an app is written against, with their status. */
export const API_ERROR_CODES: Readonly<Record<string, number>> = {
  VALIDATION_ERROR: 400,
  INVALID_AMOUNT: 400,
  UNSUPPORTED_CURRENCY: 400,
  IDEMPOTENCY_KEY_MISSING: 400,
  EXPIRED_CARD: 400,
  UNAUTHORIZED: 401,
  MFA_FAILED: 401,
  PAYMENT_REQUIRED: 402,
  INSUFFICIENT_FUNDS: 402,
  PAYMENT_DECLINED: 402,
  FORBIDDEN: 403,
  NOT_ROOM_MEMBER: 403,
  NOT_FOUND: 404,
  INVALID_STATE_TRANSITION: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  ALREADY_OPENED: 409,
  GIFT_EMPTY: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  MFA_REQUIRED: 428,
  // Added to the table (API.md, Conventions): a P2P transfer or gift above the MFA threshold, or in a
  // currency without one, asks for a step-up before any funds check.
  STEP_UP_REQUIRED: 428,
  RATE_LIMITED: 429,
  MFA_LOCKED: 429,
  INTERNAL: 500,
  PROCESSOR_ERROR: 502,
  // Added for the merchant platform (API.md, Conventions): the merchant API's keys and scopes.
  INVALID_API_KEY: 401,
  INSUFFICIENT_SCOPE: 403,
  MERCHANT_NOT_ACTIVE: 403,
};

/**
 * Text no answer may carry: stack frames and source positions, runtime error names, the SDKs' exception
 * names and vocabulary, resource names and keys of the deployment.
 */
const INTERNALS: readonly [string, RegExp][] = [
  ['a stack frame', /\bat (async )?[\w$.<>[\] ]+ \(|\bat file:|node:internal/],
  ['a source position', /\.(ts|js|mjs|cjs):\d+/],
  ['a module path', /node_modules|\/work\/|\/functions\/|\/shared\//],
  [
    'a runtime error',
    /\b(TypeError|RangeError|SyntaxError|ReferenceError)\b|Cannot read propert|is not a function/,
  ],
  ['a JSON parser message', /Unexpected token|Unexpected end of JSON|in JSON at position/],
  [
    'SDK text',
    /Exception\b|ConditionalCheckFailed|ProvisionedThroughput|TransactionCanceled|\$metadata|httpStatusCode|DynamoDB|aws-sdk|@aws|powertools|middy/i,
  ],
  ['a resource name', /arn:aws|tween-payments|IDEMPOTENCY#|WALLET#|ACCOUNT#|PAYMENT#|P2P#|GIFT#/],
  ['a provider secret', /sk_test_|whsec_|StripeError|api\.stripe\.com/],
];

export interface Expectation {
  status?: number;
  code?: string;
  /** Codes this one case may answer beyond API.md's table (and why, at the case). */
  extraCodes?: Readonly<Record<string, number>>;
}

/** Everything wrong with `answer` as the refusal of a hostile request; empty when it is a proper one. */
export function refusalProblems(
  answer: RawAnswer,
  expectation: Expectation,
  forbiddenText: readonly string[],
): string[] {
  const problems: string[] = [];
  if (answer.status < 400 || answer.status >= 500) problems.push(`answered ${answer.status}`);
  if (expectation.status !== undefined && answer.status !== expectation.status) {
    problems.push(`answered ${answer.status}, not ${expectation.status}`);
  }
  if (!String(answer.headers['content-type'] ?? '').includes('application/json')) {
    problems.push(`content-type ${answer.headers['content-type'] ?? 'missing'}`);
  }
  problems.push(...shapeProblems(answer, expectation));
  for (const [what, pattern] of INTERNALS) {
    if (pattern.test(answer.text)) problems.push(`carries ${what}: ${excerpt(answer.text, pattern)}`);
  }
  for (const text of forbiddenText) {
    if (text !== '' && answer.text.includes(text)) problems.push(`carries another user's data (${text})`);
  }
  return problems;
}

function shapeProblems(answer: RawAnswer, expectation: Expectation): string[] {
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return [`a body that is not JSON: ${answer.text.slice(0, 80)}`];
  }
  if (!isRecord(body) || Object.keys(body).join() !== 'error' || !isRecord(body.error)) {
    return [`not the error shape: ${answer.text.slice(0, 120)}`];
  }
  const { code, message, details, ...rest } = body.error;
  const problems: string[] = [];
  if (Object.keys(rest).length > 0) problems.push(`extra error fields ${Object.keys(rest).join(', ')}`);
  if (typeof message !== 'string' || message === '') problems.push('no error.message');
  if (details !== undefined && !isRecord(details)) problems.push('error.details is not an object');
  if (typeof code !== 'string') return [...problems, 'no error.code'];
  const status = API_ERROR_CODES[code] ?? expectation.extraCodes?.[code];
  if (status === undefined) problems.push(`error.code ${code} is not in API.md's table`);
  else if (status !== answer.status)
    problems.push(`error.code ${code} answered with ${answer.status}, not ${status}`);
  if (expectation.code !== undefined && code !== expectation.code) {
    problems.push(`error.code ${code}, not ${expectation.code}`);
  }
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function excerpt(text: string, pattern: RegExp): string {
  const at = text.search(pattern);
  return text.slice(Math.max(0, at - 20), at + 60);
}
