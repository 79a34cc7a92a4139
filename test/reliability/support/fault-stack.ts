/**
 * A local stack of the fault suite's own (spawnStack: in memory, free ports), so no fault ever reaches
 * another test file, and the switches of its fault injection: the Stripe server's flaky mode, the DynamoDB
 * faults on the functions' path, the homeserver's outage; plus reconciliation and the bus redrive.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import Stripe from 'stripe';
import { readLocalEnv } from '../../../local/config.js';
import { type StackInfo, spawnStack } from '../../support/global-setup.js';

/** An ERROR the stack logged: which function, what it said, and the error's name and message. */
export interface LoggedError {
  fn: string;
  message: string;
  error: string;
}

export interface FaultStack {
  info: StackInfo;
  /** Every ERROR line the stack has logged so far (Powertools JSON logs on its output). */
  errors: LoggedError[];
  endpoint(name: string): string;
  documents: DynamoDBDocumentClient;
  /** The stack's Stripe server through the official SDK, as the adapter reaches it. */
  stripe: Stripe;
  stop(): Promise<void>;
}

export async function startFaultStack(env: Record<string, string>): Promise<FaultStack> {
  const rootDir = fileURLToPath(new URL('../../..', import.meta.url));
  const errors: LoggedError[] = [];
  let partial = '';
  const { child, info } = await spawnStack(rootDir, env, (chunk) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const logged = loggedError(line);
      if (logged !== undefined) errors.push(logged);
    }
  });
  const endpoint = (name: string) => {
    const url = info.endpoints[name];
    if (url === undefined) throw new Error(`No local endpoint ${name}`);
    return url;
  };
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: endpoint('dynamodb'),
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const stripeUrl = new URL(endpoint('stripe'));
  const stripe = new Stripe(readLocalEnv({}).STRIPE_SECRET_KEY, {
    host: stripeUrl.hostname,
    port: Number(stripeUrl.port),
    protocol: 'http',
    maxNetworkRetries: 2,
  });
  return {
    info,
    errors,
    endpoint,
    documents,
    stripe,
    stop: async () => {
      documents.destroy();
      await stopChild(child);
    },
  };
}

function loggedError(line: string): LoggedError | undefined {
  if (!line.startsWith('{') || !line.includes('"ERROR"')) return undefined;
  try {
    const entry = JSON.parse(line) as {
      level?: string;
      message?: string;
      function_name?: string;
      error?: { name?: string; message?: string };
    };
    if (entry.level !== 'ERROR') return undefined;
    return {
      fn: entry.function_name ?? '',
      message: entry.message ?? '',
      error: `${entry.error?.name ?? ''}: ${entry.error?.message ?? ''}`,
    };
  } catch {
    return undefined;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function json<T>(url: string, method: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
  return (text === '' ? {} : JSON.parse(text)) as T;
}

export interface StripeFaultView {
  rates: Record<string, number>;
  seed: number;
  hangMs: number;
  decisions: number;
  injected: Record<string, number>;
}

export interface DynamoDbFaultView {
  rates: Record<string, number>;
  seed: number;
  decisions: number;
  injected: Record<string, number>;
}

export function stripeFaults(
  stack: FaultStack,
  settings?: Record<string, unknown>,
): Promise<StripeFaultView> {
  const url = `${stack.endpoint('stripe')}/local/stripe/faults`;
  return settings === undefined ? json(url, 'GET') : json(url, 'PUT', settings);
}

export function dynamoDbFaults(
  stack: FaultStack,
  settings?: Record<string, unknown>,
): Promise<DynamoDbFaultView> {
  const url = `${stack.info.apiUrl}/local/faults/dynamodb`;
  return settings === undefined ? json(url, 'GET') : json(url, 'PUT', settings);
}

export function homeserverOutage(stack: FaultStack, mode: 'none' | 'unavailable'): Promise<unknown> {
  return json(`${stack.info.apiUrl}/local/matrix/outage`, 'PUT', { mode });
}

export interface ReconcileCounts {
  examined: number;
  repaired: number;
  stillWaiting: number;
  alreadySettled: number;
  failed: number;
}

/** One run of the reconciliation job over everything still waiting on the provider, whatever its age. */
export function reconcileNow(stack: FaultStack): Promise<ReconcileCounts> {
  return json(`${stack.info.apiUrl}/local/reconcile`, 'POST', { olderThanSeconds: 0 });
}

export interface BusView {
  deliveries: { status: string }[];
  deadLetters: { delivery: { target: string; attempts: number } }[];
}

export function busView(stack: FaultStack): Promise<BusView> {
  return json(`${stack.info.apiUrl}/local/events`, 'GET');
}

export function redriveEvents(stack: FaultStack): Promise<{ redriven: number }> {
  return json(`${stack.info.apiUrl}/local/events/redrive`, 'POST');
}
