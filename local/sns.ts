/**
 * SNS on this machine: a small stand-in that the real `@aws-sdk/client-sns` talks to (the AWS query
 * protocol: form-encoded `Action=…` in, XML out), for what the notifications call: `Publish` to a
 * `PhoneNumber` (SMS) or a `TargetArn` (a push endpoint), and `CreatePlatformEndpoint` (the same endpoint
 * for the same token, as SNS answers). What was sent is read at `GET /local/sms` and `GET /local/push`
 * (`{"data": [{"to", "text", "created"}]}`, oldest first, `?to=` filters); `PUT /local/sns/outage {"mode": "none" |
 * "unreachable" | "throttled"}` simulates an outage as the SES proxy does.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalRequest, LocalResponse, LocalRoute } from './http-api.js';

export const SNS_OUTAGE_MODES = ['none', 'unreachable', 'throttled'] as const;
export type SnsOutage = (typeof SNS_OUTAGE_MODES)[number];

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

export interface SentSms {
  to: string;
  text: string;
  created: number;
}

export interface SentPush {
  to: string;
  title: string;
  text: string;
  created: number;
}

export interface LocalSns {
  endpoint: string;
  outage: SnsOutage;
  readonly sms: SentSms[];
  readonly push: SentPush[];
  /** The platform application ARNs the functions are given locally. */
  readonly applications: { apns: string; fcm: string };
  close(): Promise<void>;
}

export async function startSns(onRequest: () => void = () => undefined): Promise<LocalSns> {
  const endpoints = new Set<string>();
  const state: LocalSns = {
    endpoint: '',
    outage: 'none',
    sms: [],
    push: [],
    applications: {
      apns: `arn:aws:sns:${REGION}:${ACCOUNT}:app/APNS/tween-payments-apns`,
      fcm: `arn:aws:sns:${REGION}:${ACCOUNT}:app/GCM/tween-payments-fcm`,
    },
    close: () => closeServer(server),
  };
  const server = createServer((req, res) => {
    onRequest();
    if (state.outage === 'unreachable') {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer =
        state.outage === 'throttled'
          ? error(400, 'Throttling', 'Rate exceeded (simulated by /local/sns/outage)')
          : handle(new URLSearchParams(Buffer.concat(chunks).toString('utf8')), state, endpoints);
      res.writeHead(answer.status, { 'content-type': 'text/xml' });
      res.end(answer.xml);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

interface XmlAnswer {
  status: number;
  xml: string;
}

function handle(form: URLSearchParams, state: LocalSns, endpoints: Set<string>): XmlAnswer {
  const action = form.get('Action') ?? '';
  if (action === 'Publish') {
    const message = form.get('Message');
    if (message === null) return error(400, 'InvalidParameter', 'Message is required');
    const phone = form.get('PhoneNumber');
    const target = form.get('TargetArn');
    if (phone !== null) {
      if (!/^\+[1-9][0-9]{6,14}$/.test(phone)) return error(400, 'InvalidParameter', 'Invalid PhoneNumber');
      state.sms.push({ to: phone, text: message, created: Math.floor(Date.now() / 1000) });
    } else if (target !== null) {
      if (!endpoints.has(target)) return error(404, 'NotFound', 'Endpoint does not exist');
      state.push.push({ to: target, ...pushText(message, form), created: Math.floor(Date.now() / 1000) });
    } else {
      return error(400, 'InvalidParameter', 'PhoneNumber or TargetArn is required');
    }
    return ok('Publish', `<MessageId>${randomUUID()}</MessageId>`);
  }
  if (action === 'CreatePlatformEndpoint') {
    const application = form.get('PlatformApplicationArn') ?? '';
    const token = form.get('Token');
    const match = /^arn:aws:sns:[^:]+:\d+:app\/(APNS|GCM)\/([^/]+)$/.exec(application);
    if (match === null || !Object.values(state.applications).includes(application))
      return error(404, 'NotFound', 'PlatformApplication does not exist');
    if (token === null || token === '') return error(400, 'InvalidParameter', 'Token is required');
    const id = createHash('sha256').update(`${application}\n${token}`).digest('hex').slice(0, 32);
    const arn = `arn:aws:sns:${REGION}:${ACCOUNT}:endpoint/${match[1]}/${match[2]}/${id}`;
    endpoints.add(arn);
    return ok('CreatePlatformEndpoint', `<EndpointArn>${arn}</EndpointArn>`);
  }
  return error(400, 'InvalidAction', `SNS ${action.slice(0, 64)} is not available locally`);
}

/** A push's title and text: from the APNs payload of a `json` message, else the message itself. */
function pushText(message: string, form: URLSearchParams): { title: string; text: string } {
  if (form.get('MessageStructure') !== 'json') return { title: '', text: message };
  try {
    const structure = JSON.parse(message) as { default?: string; APNS?: string };
    const apns = JSON.parse(structure.APNS ?? '{}') as {
      aps?: { alert?: { title?: string; body?: string } };
    };
    return { title: apns.aps?.alert?.title ?? '', text: apns.aps?.alert?.body ?? structure.default ?? '' };
  } catch {
    return { title: '', text: message };
  }
}

function ok(action: string, result: string): XmlAnswer {
  return {
    status: 200,
    xml: `<${action}Response xmlns="${XMLNS}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

function error(status: number, code: string, message: string): XmlAnswer {
  return {
    status,
    xml: `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  };
}

/** `GET /local/sms`, `GET /local/push` (oldest first) and `GET|PUT /local/sns/outage`. */
export function snsRoutes(sns: LocalSns): LocalRoute[] {
  return [
    (request) => {
      if (request.method !== 'GET') return undefined;
      const to = request.query.get('to');
      const sent =
        request.path === '/local/sms' ? sns.sms : request.path === '/local/push' ? sns.push : undefined;
      if (sent === undefined) return undefined;
      return { status: 200, body: { data: sent.filter((message) => to === null || message.to === to) } };
    },
    (request) => {
      if (request.path !== '/local/sns/outage') return undefined;
      if (request.method === 'PUT') return configure(sns, request);
      if (request.method === 'GET') return { status: 200, body: { mode: sns.outage } };
      return undefined;
    },
  ];
}

function configure(sns: LocalSns, request: LocalRequest): LocalResponse {
  let mode: unknown;
  try {
    mode = (JSON.parse(request.body.toString('utf8')) as { mode?: unknown }).mode;
  } catch {
    mode = undefined;
  }
  if (!SNS_OUTAGE_MODES.includes(mode as SnsOutage)) {
    return {
      status: 400,
      body: {
        error: { code: 'VALIDATION_ERROR', message: `mode must be one of ${SNS_OUTAGE_MODES.join(', ')}` },
      },
    };
  }
  sns.outage = mode as SnsOutage;
  return { status: 200, body: { mode: sns.outage } };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
