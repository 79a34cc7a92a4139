/**
 * Helper routes of the local stack, under /local/ (no token needed; never part of the CDK app):
 * resource counters, Step Functions executions, bus events (and a redrive of its dead letters), a
 * reconciliation run, and the Matrix homeserver subset.
 */
import type { LocalEventBus } from './eventbridge/bus.js';
import type { LocalRequest, LocalResponse, LocalRoute } from './http-api.js';
import { LambdaInvocationError } from './lambda.js';
import type { LocalHomeserver } from './matrix/homeserver.js';
import type { Counters } from './metrics.js';
import type { LocalReconcileSchedule } from './reconciler.js';
import type { LocalStepFunctions } from './sfn/runner.js';

export function localRoutes(parts: {
  counters: Counters;
  stepFunctions: LocalStepFunctions;
  bus: LocalEventBus;
  homeserver: LocalHomeserver;
  reconcileSchedule: LocalReconcileSchedule;
}): LocalRoute[] {
  const { counters, stepFunctions, bus, homeserver, reconcileSchedule } = parts;
  return [
    route('GET', /^\/local\/metrics$/, () => ({ status: 200, body: counters.snapshot() })),
    route('DELETE', /^\/local\/metrics$/, () => {
      counters.reset();
      return { status: 204, body: null };
    }),
    route('GET', /^\/local\/executions$/, () => ({
      status: 200,
      body: { executions: stepFunctions.executions().map((e) => stepFunctions.summary(e)) },
    })),
    route('GET', /^\/local\/executions\/([^/]+)$/, (_, name) => {
      const execution = stepFunctions.findExecution(name);
      if (execution === undefined) return notFound(`No execution named ${name}`);
      return { status: 200, body: stepFunctions.detail(execution) };
    }),
    route('GET', /^\/local\/events$/, () => ({
      status: 200,
      body: { events: bus.recentEvents(), deliveries: bus.deliveries(), deadLetters: bus.deadLetters() },
    })),
    // What ops do with a dead-letter queue once its cause is gone: deliver its events again.
    route('POST', /^\/local\/events\/redrive$/, () => ({
      status: 200,
      body: { redriven: bus.redrive() },
    })),
    // Runs the reconciliation job now (body: optional {olderThanSeconds, limit}) instead of waiting for the timer.
    async (request) => {
      if (request.method !== 'POST' || request.path !== '/local/reconcile') return undefined;
      const event = request.body.length === 0 ? {} : parseJson(request.body);
      try {
        return { status: 200, body: await reconcileSchedule.runOnce(event) };
      } catch (error) {
        if (!(error instanceof LambdaInvocationError)) throw error;
        return { status: 500, body: { error: { code: error.errorType, message: error.errorMessage } } };
      }
    },
    (request) =>
      homeserver.handle({
        method: request.method,
        path: request.path,
        headers: request.headers,
        body: request.body.length === 0 ? undefined : parseJson(request.body),
      }),
  ];
}

function route(
  method: string,
  pattern: RegExp,
  answer: (request: LocalRequest, param: string) => LocalResponse,
): LocalRoute {
  return (request) => {
    if (request.method !== method) return undefined;
    const match = pattern.exec(request.path);
    if (match === null) return undefined;
    return answer(request, decodeURIComponent(match[1] ?? ''));
  };
}

function notFound(message: string): LocalResponse {
  return { status: 404, body: { error: { code: 'NOT_FOUND', message } } };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return body.toString('utf8');
  }
}
