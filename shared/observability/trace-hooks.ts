/**
 * Whether this function traces, and how. Nothing here imports the tracer: a function traces only when its
 * entry imports shared/observability/tracing.ts, which installs the Powertools tracer into these hooks. Every
 * other function carries neither the tracer nor aws-xray-sdk-core (about 100 KiB with semver, and their import
 * time at each cold start); Lambda's active tracing (cdk/constructs/payments-function.ts) still records its
 * invocation segment, cold-start initialisation included. Which functions trace, and why: README,
 * Observability; shared/infra/functions.ts marks them `traced`.
 */
import type { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';

export interface TraceHooks {
  /** The AWS SDK client, instrumented so each call is a subsegment. */
  captureClient<T>(client: T): T;
  /** The middleware that traces an HTTP invocation. */
  handlerMiddleware(): ReturnType<typeof captureLambdaHandler>;
}

let installed: TraceHooks | undefined;

/** Called once, by shared/observability/tracing.ts when a traced function imports it. */
export function installTracing(hooks: TraceHooks): void {
  installed = hooks;
}

/** The client, traced when the function traces: every AWS SDK client module passes its client through. */
export function traced<T>(client: T): T {
  return installed === undefined ? client : installed.captureClient(client);
}

/** The HTTP pipeline's tracing middleware, or undefined when the function does not trace. */
export function handlerTracing(): ReturnType<typeof captureLambdaHandler> | undefined {
  return installed?.handlerMiddleware();
}
