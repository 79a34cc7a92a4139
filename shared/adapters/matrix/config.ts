/**
 * The Matrix publisher's settings. The homeserver URL is read once at cold start. The access token comes
 * from Secrets Manager when MATRIX_TOKEN_SECRET_ARN is set (read through Powertools Parameters, cached for
 * five minutes, so a rotated token is picked up without a deployment), else from MATRIX_ACCESS_TOKEN (the
 * local stack). The token never reaches a log line.
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import * as z from 'zod/mini';
import { readEnv } from '../../config.js';
import { MATRIX_ACCESS_TOKEN_ENV, MATRIX_HOMESERVER_URL_ENV, MATRIX_TOKEN_SECRET_ENV } from './settings.js';

const TOKEN_CACHE_SECONDS = 300;

export function matrixHomeserverUrl(env: NodeJS.ProcessEnv = process.env): string {
  const parsed = readEnv(z.object({ [MATRIX_HOMESERVER_URL_ENV]: z.url({ protocol: /^https?$/ }) }), env);
  return parsed[MATRIX_HOMESERVER_URL_ENV];
}

export async function loadMatrixAccessToken(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const arn = env[MATRIX_TOKEN_SECRET_ENV];
  const token =
    arn === undefined || arn === ''
      ? env[MATRIX_ACCESS_TOKEN_ENV]
      : await getSecret(arn, { maxAge: TOKEN_CACHE_SECONDS });
  if (typeof token !== 'string' || token.trim() === '') {
    const source =
      arn === undefined || arn === '' ? MATRIX_ACCESS_TOKEN_ENV : `the secret in ${MATRIX_TOKEN_SECRET_ENV}`;
    throw new Error(`The Matrix access token is missing: set ${source}`);
  }
  return token.trim();
}
