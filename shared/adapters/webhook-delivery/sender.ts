/**
 * Sends one delivery: POST, JSON, 15 s for the whole exchange, redirects never followed (a 3xx is an
 * answer, and not a 2xx, so the attempt fails). The host is resolved again at every delivery, every address
 * it resolves to is checked, and the socket connects to the checked address through a custom `lookup`, so a
 * name that changes its answer between the check and the connection (DNS rebinding) reaches nothing else.
 * TLS still verifies the certificate against the URL's host name. Nothing of the receiver's body is read
 * beyond draining it, and nothing of it is logged.
 */
import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { SendOutcome, WebhookSender } from '../../app/webhook-delivery/ports.js';
import type { Mode } from '../../domain/webhook-events.js';
import {
  allowedAddresses,
  checkEndpointUrl,
  type EndpointUrlOptions,
  type HostResolver,
} from '../../domain/webhook-url.js';

export const DELIVERY_TIMEOUT_MS = 15_000;

const USER_AGENT = 'Tween-Webhooks/1.0 (+https://tween.example/docs/webhooks)';

export interface SenderOptions extends EndpointUrlOptions {
  resolver: HostResolver;
  timeoutMs?: number;
  now?: () => number;
}

/** A lookup that answers every name with the one address that passed the check. */
export function pinnedLookup(address: string): LookupFunction {
  const family = isIP(address) === 6 ? 6 : 4;
  return (_hostname, options, callback) => {
    if (options.all === true) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

export class HttpWebhookSender implements WebhookSender {
  constructor(private readonly options: SenderOptions) {}

  async send(input: {
    url: string;
    mode: Mode;
    headers: Record<string, string>;
    body: string;
  }): Promise<SendOutcome> {
    const now = this.options.now ?? Date.now;
    const started = now();
    const elapsed = () => Math.max(0, Math.round(now() - started));
    const noAnswer = (error: string): SendOutcome => ({ kind: 'no_answer', error, durationMs: elapsed() });

    const checked = checkEndpointUrl(input.url, input.mode, this.options);
    if (!checked.ok) return noAnswer('blocked_address');
    let address: string;
    try {
      const allowed = await allowedAddresses(this.options.resolver, checked.host, input.mode, this.options);
      if (!allowed.ok)
        return noAnswer(allowed.reason.includes('resolve') ? 'dns_failure' : 'blocked_address');
      address = allowed.addresses[0] ?? '';
    } catch {
      return noAnswer('dns_failure');
    }
    return this.post(checked.url, address, input, elapsed);
  }

  private post(
    url: URL,
    address: string,
    input: { headers: Record<string, string>; body: string },
    elapsed: () => number,
  ): Promise<SendOutcome> {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const timeoutMs = this.options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
    return new Promise<SendOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: SendOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const req: ClientRequest = request(url, {
        method: 'POST',
        // A fresh connection per delivery, made to the checked address: never a pooled socket.
        agent: false,
        lookup: pinnedLookup(address),
        headers: {
          ...input.headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(input.body)),
          'user-agent': USER_AGENT,
        },
      });
      const timer = setTimeout(() => {
        finish({ kind: 'no_answer', error: 'timeout', durationMs: elapsed() });
        req.destroy();
      }, timeoutMs);
      req.on('response', (response: IncomingMessage) => {
        const statusCode = response.statusCode ?? 0;
        // Drained and dropped: the receiver's body is never read into memory or logged.
        response.on('error', () => undefined);
        response.resume();
        finish({ kind: 'answered', statusCode, durationMs: elapsed() });
        response.destroy();
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        finish({ kind: 'no_answer', error: errorReason(error), durationMs: elapsed() });
      });
      req.end(input.body);
    });
  }
}

/** A short, receiver-free reason for a failed connection (no message text, which may echo the host). */
export function errorReason(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection_refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'connection_reset';
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return 'timeout';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'unreachable';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns_failure';
    default:
      if (
        error.code?.startsWith('ERR_TLS') ||
        error.code?.includes('CERT') ||
        error.code?.startsWith('ERR_SSL')
      ) {
        return 'tls_error';
      }
      return 'connection_error';
  }
}
