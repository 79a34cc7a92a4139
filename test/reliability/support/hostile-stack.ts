/**
 * A local stack of one reliability file's own (in memory, free ports), and raw HTTP against it. The file
 * compares the whole table before and after, so no other test file may write to it; nothing in it may move
 * on its own meanwhile either: transfers wait a day for their recipient and the reconciliation job never
 * runs. Requests go out exactly as written (node:http, not fetch): `..`, `%2e%2e` and broken escapes reach
 * the server unnormalised, and bodies are sent as raw bytes, with or without a Content-Length.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { fileURLToPath } from 'node:url';
import { tokenFor } from '../../support/api.js';
import { type StackInfo, spawnStack } from '../../support/global-setup.js';

export interface OwnStack {
  info: StackInfo;
  child: ChildProcess;
}

/** Starts the stack; once more if the first start fails (DynamoDB Local can be slow on a busy machine). */
export async function startOwnStack(): Promise<OwnStack> {
  const rootDir = fileURLToPath(new URL('../../..', import.meta.url));
  const env = { P2P_ACCEPTANCE_WINDOW_SECONDS: '86400', RECONCILE_PERIOD_SECONDS: '86400' };
  try {
    return await spawnStack(rootDir, env);
  } catch {
    return spawnStack(rootDir, env);
  }
}

/** Ctrl-C semantics (SIGTERM), SIGKILL only if it hangs. */
export async function stopOwnStack(stack: OwnStack | undefined): Promise<void> {
  const child = stack?.child;
  if (child === undefined || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export function endpointOf(stack: OwnStack, name: string): string {
  const url = stack.info.endpoints[name];
  if (url === undefined) throw new Error(`No local endpoint ${name}`);
  return url;
}

export interface RawRequest {
  method: string;
  /** Path and query, sent byte for byte. */
  path: string;
  headers?: Readonly<Record<string, string>>;
  body?: string | Buffer;
  /** Send the body in chunks without a Content-Length, as a streaming client would. */
  chunked?: boolean;
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** One request; answers once the whole response is read (a reset after the answer does not matter). */
export function send(baseUrl: string, raw: RawRequest): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  const body = raw.body === undefined ? undefined : Buffer.from(raw.body);
  const headers: Record<string, string> = { ...raw.headers };
  if (body !== undefined && raw.chunked !== true) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = httpRequest(
      { host: url.hostname, port: url.port, method: raw.method, path: raw.path, headers },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    // The server may answer an oversized body at once and close while we are still writing it.
    outgoing.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (body === undefined) return void outgoing.end();
    if (raw.chunked === true) {
      const size = 64 * 1024;
      for (let offset = 0; offset < body.length; offset += size)
        outgoing.write(body.subarray(offset, offset + size));
      outgoing.end();
      return;
    }
    outgoing.end(body);
  });
}

/** Sends `requests` with at most `limit` in flight; answers in the same order. */
export async function sendAll(
  baseUrl: string,
  requests: readonly RawRequest[],
  limit = 8,
): Promise<RawAnswer[]> {
  const answers: RawAnswer[] = new Array(requests.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < requests.length; index = next++) {
      answers[index] = await send(baseUrl, requests[index] as RawRequest);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, requests.length) }, worker));
  return answers;
}

export interface JsonAnswer<T> {
  status: number;
  headers: IncomingHttpHeaders;
  body: T;
}

/** An ordinary JSON call, as an app makes it (for fixtures and reads, not for the corpus). */
export async function api<T = Record<string, unknown>>(
  stack: OwnStack,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; key?: string } = {},
): Promise<JsonAnswer<T>> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.key !== undefined) headers['idempotency-key'] = options.key;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const answer = await send(stack.info.apiUrl, {
    method,
    path,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  return {
    status: answer.status,
    headers: answer.headers,
    body: (answer.text === '' ? undefined : JSON.parse(answer.text)) as T,
  };
}

/** A user of the corpus: the Matrix id, a valid token and the id as a path segment. */
export interface Actor {
  userId: string;
  token: string;
  path: string;
}

export async function newActor(name: string, roles?: readonly string[]): Promise<Actor> {
  const userId = `@${name}${randomUUID().slice(0, 8)}:tween.example`;
  const token = await tokenFor(userId, roles === undefined ? {} : { roles });
  return { userId, token, path: encodeURIComponent(userId) };
}

export async function joinRoom(stack: OwnStack, roomId: string, actor: Actor): Promise<void> {
  const answer = await api(
    stack,
    'PUT',
    `/local/matrix/rooms/${encodeURIComponent(roomId)}/members/${actor.path}`,
  );
  if (answer.status !== 200) throw new Error(`Joining ${roomId} answered ${answer.status}`);
}
