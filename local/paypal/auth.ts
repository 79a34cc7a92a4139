/** OAuth 2.0 client credentials: a token for the client id and secret, then required as a bearer token. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PayPalError } from './errors.js';
import { header, type Json } from './http-io.js';
import type { PayPalState } from './state.js';

const TOKEN_TTL_SECONDS = 32_400;

/** `POST /v1/oauth2/token` with Basic auth and `grant_type=client_credentials`. */
export function issueToken(state: PayPalState, req: IncomingMessage, raw: string): Json {
  const expected = `Basic ${Buffer.from(`${state.options.clientId}:${state.options.clientSecret}`).toString('base64')}`;
  if (header(req, 'authorization') !== expected) throw new PayPalError(401, 'invalid_client');
  if (new URLSearchParams(raw).get('grant_type') !== 'client_credentials') {
    throw new PayPalError(400, 'unsupported_grant_type');
  }
  const token = `A21_local_${randomUUID()}`;
  state.tokens.add(token);
  return {
    scope: 'https://uri.paypal.com/services/payments',
    access_token: token,
    token_type: 'Bearer',
    expires_in: TOKEN_TTL_SECONDS,
  };
}

export function authorize(state: PayPalState, req: IncomingMessage): void {
  const token = /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '')?.[1];
  if (token === undefined || !state.tokens.has(token)) throw new PayPalError(401, 'AUTHENTICATION_FAILURE');
}
