/**
 * Signature Version 4 checks for the local S3 engine. s3rver 3.7 verifies only V2 signatures: it accepts any
 * V4 signature (and unsigned requests) as long as the access key exists, and never looks at the signed
 * headers. S3 itself refuses all of that, and the KYC upload rules rest on it (the URL signs the content
 * type; it expires), so the local stack checks every request the way S3 does before s3rver sees it:
 * presigned (query) and Authorization-header signatures alike, recomputed with the caller's secret, with the
 * expiry of a presigned URL. Anonymous requests are refused: the bucket blocks public access.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type SignatureCheck = { ok: true } | { ok: false; code: string; message: string };

const ALGORITHM = 'AWS4-HMAC-SHA256';

/** RFC 3986 encoding, as SigV4's canonical query string wants it. */
function encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** `20261207T120000Z` → epoch milliseconds. */
function parseAmzDate(value: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (match === null) return Number.NaN;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

interface Parsed {
  credential: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  payloadHash: string;
  /** Query pairs that enter the canonical query string. */
  query: [string, string][];
  expiresSeconds?: number;
}

function parse(request: IncomingMessage, url: URL): Parsed | SignatureCheck {
  const pairs = [...url.searchParams.entries()];
  if (url.searchParams.has('X-Amz-Signature')) {
    const get = (name: string) => url.searchParams.get(name) ?? '';
    if (get('X-Amz-Algorithm') !== ALGORITHM) {
      return { ok: false, code: 'AuthorizationQueryParametersError', message: 'Unsupported algorithm' };
    }
    return {
      credential: get('X-Amz-Credential'),
      signedHeaders: get('X-Amz-SignedHeaders').split(';'),
      signature: get('X-Amz-Signature'),
      amzDate: get('X-Amz-Date'),
      payloadHash: url.searchParams.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
      query: pairs.filter(([name]) => name !== 'X-Amz-Signature'),
      expiresSeconds: Number(get('X-Amz-Expires')),
    };
  }
  const authorization = request.headers.authorization;
  if (authorization === undefined) {
    return {
      ok: false,
      code: 'AccessDenied',
      message: 'Anonymous requests are refused (public access blocked)',
    };
  }
  const match = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(
    authorization,
  );
  if (match === null)
    return { ok: false, code: 'AccessDenied', message: 'Only Signature Version 4 is accepted' };
  return {
    credential: match[1] ?? '',
    signedHeaders: (match[2] ?? '').split(';'),
    signature: match[3] ?? '',
    amzDate: String(request.headers['x-amz-date'] ?? ''),
    payloadHash: String(request.headers['x-amz-content-sha256'] ?? ''),
    query: pairs,
  };
}

/** Checks `request` (path and query in `url`) against the secrets of `accessKeys`, at `now`. */
export function checkSignature(
  request: IncomingMessage,
  accessKeys: ReadonlyMap<string, string>,
  now: Date = new Date(),
): SignatureCheck {
  const url = new URL(request.url ?? '/', 'http://s3.local');
  const parsed = parse(request, url);
  if ('ok' in parsed) return parsed;
  const [accessKeyId = '', date = '', region = '', service = '', terminal = ''] =
    parsed.credential.split('/');
  const secret = accessKeys.get(accessKeyId);
  if (secret === undefined) {
    return { ok: false, code: 'InvalidAccessKeyId', message: 'The access key does not exist' };
  }
  const signedAt = parseAmzDate(parsed.amzDate);
  if (Number.isNaN(signedAt) || terminal !== 'aws4_request') {
    return { ok: false, code: 'AuthorizationQueryParametersError', message: 'Malformed credential or date' };
  }
  if (parsed.expiresSeconds !== undefined) {
    if (
      !Number.isInteger(parsed.expiresSeconds) ||
      parsed.expiresSeconds < 1 ||
      parsed.expiresSeconds > 604_800
    ) {
      return {
        ok: false,
        code: 'AuthorizationQueryParametersError',
        message: 'X-Amz-Expires is out of range',
      };
    }
    if (now.getTime() > signedAt + parsed.expiresSeconds * 1000) {
      return { ok: false, code: 'AccessDenied', message: 'Request has expired' };
    }
  } else if (Math.abs(now.getTime() - signedAt) > 15 * 60 * 1000) {
    return { ok: false, code: 'RequestTimeTooSkewed', message: 'The request time is too far from ours' };
  }
  const headerLines: string[] = [];
  for (const name of parsed.signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) {
      return { ok: false, code: 'SignatureDoesNotMatch', message: `The signed header ${name} is missing` };
    }
    headerLines.push(`${name}:${[value].flat().join(',').trim().replace(/\s+/g, ' ')}\n`);
  }
  const canonicalQuery = parsed.query
    .map(([name, value]) => [encode(name), encode(value)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalRequest = [
    request.method ?? 'GET',
    url.pathname,
    canonicalQuery,
    headerLines.join(''),
    parsed.signedHeaders.join(';'),
    parsed.payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [
    ALGORITHM,
    parsed.amzDate,
    scope,
    createHash('sha256').update(canonicalRequest, 'utf8').digest('hex'),
  ].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const expected = Buffer.from(hmac(key, stringToSign).toString('hex'));
  const given = Buffer.from(parsed.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return {
      ok: false,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided',
    };
  }
  return { ok: true };
}
