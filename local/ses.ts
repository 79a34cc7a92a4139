/**
 * SES v2 locally: the registry's engine, aws-ses-v2-local, on a free loopback port, behind a small proxy
 * that can simulate an outage (`PUT /local/ses/outage {"mode": "none" | "unreachable" | "throttled"}`):
 * `unreachable` drops the connection, `throttled` answers SES's 429 TooManyRequestsException. Functions
 * reach the proxy through AWS_ENDPOINT_URL_SESV2; `GET /local/emails?to=` reads the engine's store.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as sesEngine from 'aws-ses-v2-local';
import type { LocalRequest, LocalResponse, LocalRoute } from './http-api.js';

export const SES_OUTAGE_MODES = ['none', 'unreachable', 'throttled'] as const;
export type SesOutage = (typeof SES_OUTAGE_MODES)[number];

export interface LocalSes {
  /** Where functions send (the proxy). */
  endpoint: string;
  /** The engine itself (its web viewer at `/`, its store at `/store`). */
  engineUrl: string;
  outage: SesOutage;
  close(): Promise<void>;
}

type StartEngine = (config: { host: string; port: number }) => Promise<Server>;

/** The engine's start function, whether the CommonJS default export arrives wrapped or not. */
function engineStart(): StartEngine {
  const exported: unknown = sesEngine.default;
  if (typeof exported === 'function') return exported as StartEngine;
  const inner: unknown = (exported as { default?: unknown } | undefined)?.default;
  if (typeof inner === 'function') return inner as StartEngine;
  throw new Error('aws-ses-v2-local exports no server function');
}

export async function startSes(onRequest: () => void = () => undefined): Promise<LocalSes> {
  const engine = await engineStart()({ host: '127.0.0.1', port: 0 });
  const enginePort = (engine.address() as AddressInfo).port;
  const state: LocalSes = {
    endpoint: '',
    engineUrl: `http://127.0.0.1:${enginePort}`,
    outage: 'none',
    close: async () => {
      await Promise.all([closeServer(proxy), closeServer(engine)]);
    },
  };
  const proxy = createServer((req, res) => {
    onRequest();
    if (state.outage === 'unreachable') {
      req.socket.destroy();
      return;
    }
    if (state.outage === 'throttled') {
      res.writeHead(429, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'TooManyRequestsException',
      });
      res.end(JSON.stringify({ message: 'Too many requests (simulated by /local/ses/outage)' }));
      return;
    }
    const forwarded = httpRequest(
      { host: '127.0.0.1', port: enginePort, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  state.endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  return state;
}

interface StoredEmail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  /** A raw (MIME) message's attachments, parsed by the engine; `content` is base64. */
  attachments?: { filename?: string; contentType: string; size: number; content: string }[];
  at: number;
}

/**
 * `GET /local/emails?to=` (newest last; an email with attachments lists them, `content` base64) and
 * `GET|PUT /local/ses/outage`.
 */
export function sesRoutes(ses: LocalSes): LocalRoute[] {
  return [
    async (request) => {
      if (request.method !== 'GET' || request.path !== '/local/emails') return undefined;
      const to = request.query.get('to');
      const answer = await fetch(`${ses.engineUrl}/store`);
      const store = (await answer.json()) as { emails: StoredEmail[] };
      const data = store.emails
        .filter((email) => to === null || email.destination.to.includes(to))
        .map((email) => ({
          to: email.destination.to.join(', '),
          subject: email.subject,
          text: email.body.text ?? '',
          html: email.body.html ?? '',
          created: email.at,
          // Only an email that has attachments lists them: API.md's shape is the five fields above.
          ...(email.attachments?.length
            ? {
                attachments: email.attachments.map((attachment) => ({
                  filename: attachment.filename ?? '',
                  content_type: attachment.contentType,
                  size: attachment.size,
                  content: attachment.content,
                })),
              }
            : {}),
        }));
      return { status: 200, body: { data } };
    },
    (request) => {
      if (request.path !== '/local/ses/outage') return undefined;
      if (request.method === 'PUT') return configure(ses, request);
      if (request.method === 'GET') return { status: 200, body: { mode: ses.outage } };
      return undefined;
    },
  ];
}

function configure(ses: LocalSes, request: LocalRequest): LocalResponse {
  let mode: unknown;
  try {
    mode = (JSON.parse(request.body.toString('utf8')) as { mode?: unknown }).mode;
  } catch {
    mode = undefined;
  }
  if (!SES_OUTAGE_MODES.includes(mode as SesOutage)) {
    return {
      status: 400,
      body: {
        error: { code: 'VALIDATION_ERROR', message: `mode must be one of ${SES_OUTAGE_MODES.join(', ')}` },
      },
    };
  }
  ses.outage = mode as SesOutage;
  return { status: 200, body: { mode: ses.outage } };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
