/**
 * What never reaches a log line, whatever is logged: an invocation event (POWERTOOLS_LOGGER_LOG_EVENT logs
 * each one in full, headers and body), an error, a debug object. The logger runs every key and value it
 * serializes through `redactSecrets`:
 * - credentials by key: the Authorization and Stripe-Signature headers, second-factor answers (PIN, TOTP
 *   secret and code), tokens, client secrets and the service's own secrets;
 * - an HTTP or SQS `body` string is parsed and redacted like any object (a body that is not JSON is
 *   dropped: nothing can be told about it);
 * - anything shaped like a credential, wherever it sits in a string: JWTs, bearer values, Stripe secret and
 *   restricted keys, webhook secrets, signatures, PaymentIntent client secrets, otpauth URIs.
 * Payment method ids (`pm_...`) stay: they are opaque tokens, usable only with our Stripe secret key, the
 * API returns them, and support needs them to trace a charge.
 */

export const REDACTED = '[REDACTED]';

/** Keys (lower case) whose value is a secret wherever it appears. */
const SECRET_KEYS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'stripe-signature',
  'pin',
  'secret',
  'otpauthuri',
  'signature',
  'password',
  'token',
  'accesstoken',
  'access_token',
  'tasktoken',
  'client_secret',
  'clientsecret',
  'secretstring',
  'stripesecretkey',
  'stripewebhooksecret',
  'cursorsecret',
  'paypalclientsecret',
  'paypal-transmission-sig',
  'x-step-up-token',
  'stepuptoken',
]);

/** `code` is a one-time password in a verify or confirm body, but an error code everywhere else. */
const ONE_TIME_CODE = /^\d{4,10}$/;

const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, REDACTED],
  [/\b(Bearer|Basic)\s+[^\s",]+/gi, `$1 ${REDACTED}`],
  [/\b(sk|rk)_(test|live)_\w+/g, REDACTED],
  [/\bwhsec_\w+/g, REDACTED],
  [/\bv[01]=[0-9a-f]{64}\b/g, REDACTED],
  [/\b(pi|seti)_\w+_secret_\w+/g, REDACTED],
  [/otpauth:\/\/[^\s"]+/g, REDACTED],
];

/** A JSON replacer (the Powertools Logger's `jsonReplacerFn`): returns what may be written for `value`. */
export function redactSecrets(key: string, value: unknown): unknown {
  const name = key.toLowerCase();
  if (SECRET_KEYS.has(name) && value !== undefined && value !== null && value !== '') return REDACTED;
  if (typeof value !== 'string') return value;
  if (name === 'code' && ONE_TIME_CODE.test(value)) return REDACTED;
  if (name === 'body') return parsedBody(value);
  return redactString(value);
}

/** `text` with every credential-shaped part replaced. */
export function redactString(text: string): string {
  let redacted = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) redacted = redacted.replace(pattern, replacement);
  return redacted;
}

/** A body as an object, so that the replacer walks into it; a body that is not JSON is not written at all. */
function parsedBody(body: string): unknown {
  if (body === '') return body;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'string' ? redactString(parsed) : parsed;
  } catch {
    return `${REDACTED} (${Buffer.byteLength(body)} bytes, not JSON)`;
  }
}
