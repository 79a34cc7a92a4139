/**
 * EventBridge Scheduler on this machine, as much of it as the webhook retries use: one-time schedules
 * (`at(yyyy-mm-ddThh:mm:ss)`, UTC) in named groups whose target is an SQS queue's SendMessage, fired once
 * when due and deleted after (`ActionAfterCompletion: DELETE`). It speaks the service's REST-JSON protocol,
 * so the real `@aws-sdk/client-scheduler` talks to it through AWS_ENDPOINT_URL_SCHEDULER:
 * CreateSchedule (`POST /schedules/{name}`), GetSchedule (`GET`), DeleteSchedule (`DELETE`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalSchedule {
  name: string;
  group: string;
  expression: string;
  due: Date;
  target: { arn: string; roleArn: string; input: string };
  deleteAfter: boolean;
}

/** Delivers a fired schedule's input to its target (a queue ARN). */
export type ScheduleTarget = (arn: string, input: string) => Promise<void>;

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
/** setTimeout's ceiling; a schedule further out is re-armed when this much time has passed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class LocalScheduler {
  readonly schedules = new Map<string, LocalSchedule>();
  readonly fired: LocalSchedule[] = [];
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #server: Server | undefined;

  constructor(private readonly target: ScheduleTarget) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      void this.#answer(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.#server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    const server = this.#server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const match = /^\/schedules\/([^/]+)$/.exec(url.pathname);
    try {
      if (match === null) throw new SchedulerError(404, 'ResourceNotFoundException', 'Unknown path');
      const name = decodeURIComponent(match[1] ?? '');
      if (req.method === 'POST') {
        const body = JSON.parse((await readText(req)) || '{}') as Record<string, unknown>;
        return send(res, 200, { ScheduleArn: this.create(name, body).arn });
      }
      const group = url.searchParams.get('groupName') ?? 'default';
      const schedule = this.schedules.get(key(group, name));
      if (schedule === undefined)
        throw new SchedulerError(404, 'ResourceNotFoundException', `No schedule ${name}`);
      if (req.method === 'GET') {
        return send(res, 200, {
          Name: name,
          GroupName: group,
          Arn: arnOf(group, name),
          ScheduleExpression: schedule.expression,
          State: 'ENABLED',
          Target: {
            Arn: schedule.target.arn,
            RoleArn: schedule.target.roleArn,
            Input: schedule.target.input,
          },
        });
      }
      if (req.method === 'DELETE') {
        this.#remove(group, name);
        return send(res, 200, {});
      }
      throw new SchedulerError(405, 'ValidationException', `Method ${req.method ?? ''} not supported`);
    } catch (error) {
      const known =
        error instanceof SchedulerError
          ? error
          : new SchedulerError(500, 'InternalServerException', String(error));
      res.writeHead(known.status, { 'content-type': 'application/json', 'x-amzn-errortype': known.code });
      res.end(JSON.stringify({ Message: known.message }));
    }
  }

  /** CreateSchedule: validates what the webhook retries send and arms the timer. */
  create(name: string, body: Record<string, unknown>): { arn: string } {
    const group = typeof body.GroupName === 'string' ? body.GroupName : 'default';
    if (!/^[0-9a-zA-Z\-_.]{1,64}$/.test(name))
      throw new SchedulerError(400, 'ValidationException', 'Bad name');
    if (this.schedules.has(key(group, name))) {
      throw new SchedulerError(409, 'ConflictException', `Schedule ${name} already exists`);
    }
    const expression = String(body.ScheduleExpression ?? '');
    const due = parseAt(expression, body.ScheduleExpressionTimezone);
    const target = body.Target as { Arn?: unknown; RoleArn?: unknown; Input?: unknown } | undefined;
    if (typeof target?.Arn !== 'string' || typeof target.RoleArn !== 'string') {
      throw new SchedulerError(400, 'ValidationException', 'Target.Arn and Target.RoleArn are required');
    }
    const schedule: LocalSchedule = {
      name,
      group,
      expression,
      due,
      target: {
        arn: target.Arn,
        roleArn: target.RoleArn,
        input: typeof target.Input === 'string' ? target.Input : '',
      },
      deleteAfter: body.ActionAfterCompletion === 'DELETE',
    };
    this.schedules.set(key(group, name), schedule);
    this.#arm(schedule);
    return { arn: arnOf(group, name) };
  }

  #arm(schedule: LocalSchedule): void {
    const wait = Math.max(0, schedule.due.getTime() - Date.now());
    const timer = setTimeout(
      () => {
        if (wait > MAX_TIMER_MS) this.#arm(schedule);
        else void this.#fire(schedule);
      },
      Math.min(wait, MAX_TIMER_MS),
    );
    timer.unref();
    this.#timers.set(key(schedule.group, schedule.name), timer);
  }

  async #fire(schedule: LocalSchedule): Promise<void> {
    this.#timers.delete(key(schedule.group, schedule.name));
    try {
      await this.target(schedule.target.arn, schedule.target.input);
      this.fired.push(schedule);
      if (schedule.deleteAfter) this.schedules.delete(key(schedule.group, schedule.name));
    } catch {
      // Scheduler retries a target that did not take the event; once a second is enough here.
      setTimeout(() => void this.#fire(schedule), 1_000).unref();
    }
  }

  #remove(group: string, name: string): void {
    clearTimeout(this.#timers.get(key(group, name)));
    this.#timers.delete(key(group, name));
    this.schedules.delete(key(group, name));
  }
}

class SchedulerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** `at(2026-12-07T10:00:05)` in UTC (the only timezone the retries use). */
export function parseAt(expression: string, timezone: unknown): Date {
  const match = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression);
  if (match === null)
    throw new SchedulerError(400, 'ValidationException', `Unsupported expression ${expression}`);
  if (timezone !== undefined && timezone !== 'UTC') {
    throw new SchedulerError(400, 'ValidationException', 'Only UTC is supported locally');
  }
  return new Date(`${match[1]}Z`);
}

const key = (group: string, name: string) => `${group}/${name}`;
const arnOf = (group: string, name: string) =>
  `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${group}/${name}`;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
