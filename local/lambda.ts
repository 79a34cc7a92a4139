/**
 * Runs Lambda handler modules in this process, as the Lambda service would: the same entry module and
 * export the CDK app deploys, a Lambda-shaped context, one cold start per module. Counts invocations and
 * billed duration for the cost model.
 *
 * Lambda gives every invocation in flight a CPU of its own; here they all share this process's one event
 * loop (with the local homeserver and the Step Functions runner). Unbounded, 64 requests at once each got
 * a 64th of the loop, so their deadlines (and the 5 s membership check) ran out while they waited for CPU,
 * not for a dependency. So each function runs at most `maxInFlight` invocations at once; the others wait
 * their turn in order, and an invocation's deadline starts when it runs, as an invocation's does when
 * Lambda hands it an execution environment.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { withoutDeadline } from '../shared/app/deadline.js';
import { type FunctionDefinition, functions } from '../shared/infra/functions.js';
import type { Counters } from './metrics.js';

export type Handler = (event: unknown, context: Context) => Promise<unknown>;

export interface LocalFunction {
  memoryMb: number;
  timeoutSeconds: number;
  load(): Promise<Handler>;
}

/** A Lambda invocation that threw: `errorType` is what Step Functions matches in Retry and Catch. */
export class LambdaInvocationError extends Error {
  constructor(
    readonly errorType: string,
    readonly errorMessage: string,
  ) {
    super(`${errorType}: ${errorMessage}`);
    this.name = errorType;
  }
}

/** Invocations of one function running at once in the local stack (see above). */
export const DEFAULT_MAX_IN_FLIGHT = 8;

export class LocalLambda {
  readonly #functions = new Map<string, LocalFunction>();
  readonly #loaded = new Map<string, Promise<Handler>>();
  readonly #slots = new Map<string, Slots>();

  constructor(
    private readonly counters: Counters,
    private readonly region = 'us-east-1',
    private readonly accountId = '000000000000',
    private readonly maxInFlight = DEFAULT_MAX_IN_FLIGHT,
  ) {}

  /** Every function of the catalogue, loaded from its entry module under `rootDir`. */
  static fromCatalogue(rootDir: string, counters: Counters): LocalLambda {
    const lambda = new LocalLambda(counters);
    for (const [name, definition] of Object.entries(functions) as [string, FunctionDefinition][]) {
      lambda.register(name, {
        memoryMb: definition.memoryMb,
        timeoutSeconds: definition.timeoutSeconds,
        load: async () => {
          const module: Record<string, unknown> = await import(
            pathToFileURL(resolve(rootDir, definition.entry)).href
          );
          const handler = module[definition.handler];
          if (typeof handler !== 'function')
            throw new Error(`${definition.entry} exports no ${definition.handler}`);
          return handler as Handler;
        },
      });
    }
    return lambda;
  }

  register(name: string, fn: LocalFunction): void {
    this.#functions.set(name, fn);
    this.#loaded.delete(name);
  }

  has(name: string): boolean {
    return this.#functions.has(name);
  }

  names(): string[] {
    return [...this.#functions.keys()];
  }

  arnOf(name: string): string {
    return `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`;
  }

  nameOfArn(arn: string): string | undefined {
    const name = /^arn:aws:lambda:[^:]+:\d+:function:([^:]+)(?::.+)?$/.exec(arn)?.[1] ?? arn;
    return this.#functions.has(name) ? name : undefined;
  }

  /** Imports every module now, so the first request does not pay for it (and a broken one fails early). */
  async warmUp(): Promise<void> {
    await Promise.all(this.names().map((name) => this.#handler(name)));
  }

  /** Invokes synchronously (RequestResponse); a thrown error becomes a LambdaInvocationError. */
  async invoke(name: string, event: unknown): Promise<unknown> {
    const fn = this.#functions.get(name);
    if (fn === undefined) throw new Error(`No local function named ${name}`);
    const handler = await this.#handler(name);
    const slots = this.#slotsOf(name);
    await slots.acquire();
    const started = performance.now();
    const deadline = Date.now() + fn.timeoutSeconds * 1000;
    try {
      // Lambda hands every function a fresh JSON copy of its event, in an execution environment of its own:
      // nothing of the invoking request's scope (its time budget) comes along.
      return await withoutDeadline(() => handler(jsonCopy(event), this.#context(name, fn, deadline)));
    } catch (error) {
      if (error instanceof Error) throw new LambdaInvocationError(error.name, error.message);
      throw new LambdaInvocationError('Error', String(error));
    } finally {
      slots.release();
      const billedMs = Math.max(1, Math.ceil(performance.now() - started));
      this.counters.add('lambdaInvocations');
      this.counters.add('lambdaDurationMs', billedMs);
      this.counters.add('lambdaGbSeconds', (billedMs / 1000) * (fn.memoryMb / 1024));
    }
  }

  #slotsOf(name: string): Slots {
    let slots = this.#slots.get(name);
    if (slots === undefined) {
      slots = new Slots(this.maxInFlight);
      this.#slots.set(name, slots);
    }
    return slots;
  }

  #handler(name: string): Promise<Handler> {
    let loaded = this.#loaded.get(name);
    if (loaded === undefined) {
      const fn = this.#functions.get(name);
      if (fn === undefined) throw new Error(`No local function named ${name}`);
      loaded = fn.load();
      this.#loaded.set(name, loaded);
    }
    return loaded;
  }

  #context(name: string, fn: LocalFunction, deadline: number): Context {
    return {
      callbackWaitsForEmptyEventLoop: false,
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: this.arnOf(name),
      memoryLimitInMB: String(fn.memoryMb),
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: 'local',
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
  }
}

/** At most `size` holders at once; the others wait in arrival order. */
class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`maxInFlight must be a positive integer, got ${size}`);
    this.#free = size;
  }

  acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    // The slot passes straight to the next in line, so a newcomer cannot jump the queue.
    if (next === undefined) this.#free += 1;
    else next();
  }
}

function jsonCopy(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
