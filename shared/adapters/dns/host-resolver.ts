/**
 * The system resolver (getaddrinfo, as a socket's own lookup would use it), every address of a host, A and
 * AAAA: the webhook checks judge them all, never only the first.
 */
import { lookup } from 'node:dns/promises';
import type { HostResolver } from '../../domain/webhook-url.js';

export const systemHostResolver: HostResolver = {
  async resolve(host: string): Promise<string[]> {
    const found = await lookup(host, { all: true, verbatim: true });
    return found.map((entry) => entry.address);
  },
};
