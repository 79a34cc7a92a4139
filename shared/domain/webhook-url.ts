/**
 * Where a webhook may be delivered. A merchant's URL is checked when the endpoint is registered
 * (`checkEndpointUrl`) and every address its host resolves to is checked again at each delivery
 * (`isBlockedAddress`), so a host that later resolves to a private, loopback or link-local address (DNS
 * rebinding) is refused. Addresses are read in every textual form a resolver or a socket accepts: IPv4 in
 * dotted, decimal, hex or octal notation with one to four parts, IPv6 compressed, bracketed, with a zone
 * or with an embedded IPv4 tail. Anything that does not parse is blocked (fail closed).
 */

import type { Mode } from './webhook-events.js';

/** Why a URL cannot be an endpoint; the message is shown to the merchant. */
export type EndpointUrlCheck =
  | { ok: true; url: URL; host: string; port: number }
  | { ok: false; reason: string };

export interface EndpointUrlOptions {
  /**
   * Test mode may deliver to loopback (127.0.0.1, ::1): a setting only the local stack sets, so a local
   * receiver can be reached. Never set on AWS; live mode ignores it.
   */
  allowLoopbackInTest?: boolean;
}

const MAX_URL_LENGTH = 2_048;

/**
 * Whether `raw` can be an endpoint's URL in `mode`: absolute http(s) (live: https only), no user or
 * password, a host, a valid port, and, when the host is an address literal, not a blocked one.
 */
export function checkEndpointUrl(
  raw: string,
  mode: Mode,
  options: EndpointUrlOptions = {},
): EndpointUrlCheck {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: `The URL is longer than ${MAX_URL_LENGTH}` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'The URL is not an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: 'The URL must use https' };
  }
  if (mode === 'live' && url.protocol !== 'https:') {
    return { ok: false, reason: 'A live-mode endpoint must use https' };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: 'The URL must not carry a user name or password' };
  }
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (host === '' || host.endsWith('.') || host.includes('%')) {
    return { ok: false, reason: 'The URL must name a host' };
  }
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    return { ok: false, reason: 'The URL has an invalid port' };
  }
  const literal = parseAddress(host) !== undefined;
  if (literal ? !addressAllowed(host, mode, options) : mode === 'live' && isLocalName(host)) {
    return { ok: false, reason: BLOCKED_REASON };
  }
  return { ok: true, url, host, port };
}

export const BLOCKED_REASON = 'The URL points to a private, loopback or link-local address';

/** All the addresses a host name resolves to (A and AAAA); an address literal resolves to itself. */
export interface HostResolver {
  resolve(host: string): Promise<string[]>;
}

/**
 * The addresses of `host` a delivery in `mode` may connect to, or the reason there are none: every
 * address must pass (one blocked address refuses the host, so a resolver cannot be raced into the bad one).
 */
export async function allowedAddresses(
  resolver: HostResolver,
  host: string,
  mode: Mode,
  options: EndpointUrlOptions = {},
): Promise<{ ok: true; addresses: string[] } | { ok: false; reason: string }> {
  const addresses = parseAddress(host) === undefined ? await resolver.resolve(host) : [host];
  if (addresses.length === 0) return { ok: false, reason: 'The host does not resolve' };
  if (addresses.some((address) => !addressAllowed(address, mode, options))) {
    return { ok: false, reason: BLOCKED_REASON };
  }
  return { ok: true, addresses };
}

/** Whether a delivery in `mode` may connect to `ip` (loopback only in test mode, when the setting allows). */
export function addressAllowed(ip: string, mode: Mode, options: EndpointUrlOptions = {}): boolean {
  if (!isBlockedAddress(ip)) return true;
  return mode === 'test' && options.allowLoopbackInTest === true && isLoopbackAddress(ip);
}

/** Names that only mean this machine or its network, refused in live mode before any lookup. */
function isLocalName(host: string): boolean {
  const name = host.toLowerCase();
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name.endsWith('.local') ||
    name.endsWith('.internal') ||
    !name.includes('.')
  );
}

type Address = { family: 4; value: number } | { family: 6; words: number[] };

/** IPv4 ranges no webhook may reach: [network, prefix length]. */
const BLOCKED_V4: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
];

const BLOCKED_V4_MASKS = BLOCKED_V4.map(([network, bits]) => {
  const parsed = parseIPv4(network) ?? 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { network: (parsed & mask) >>> 0, mask };
});

/** Whether `ip` (any textual form) is an address no webhook may reach; unparseable text counts as blocked. */
export function isBlockedAddress(ip: string): boolean {
  const address = parseAddress(ip);
  if (address === undefined) return true;
  return address.family === 4 ? blockedV4(address.value) : blockedV6(address.words);
}

/** Whether `ip` is a loopback address (127/8, ::1, or IPv4-mapped loopback). */
export function isLoopbackAddress(ip: string): boolean {
  const address = parseAddress(ip);
  if (address === undefined) return false;
  if (address.family === 4) return address.value >>> 24 === 127;
  if (address.words.slice(0, 7).every((word) => word === 0) && address.words[7] === 1) return true;
  const v4 = embeddedV4(address.words);
  return v4 !== undefined && v4 >>> 24 === 127;
}

function blockedV4(value: number): boolean {
  return BLOCKED_V4_MASKS.some(({ network, mask }) => (value & mask) >>> 0 === network);
}

function blockedV6(words: number[]): boolean {
  const [first = 0] = words;
  if (words.every((word) => word === 0)) return true; // ::
  if (words.slice(0, 7).every((word) => word === 0) && words[7] === 1) return true; // ::1
  if ((first & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((first & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((first & 0xffc0) === 0xfec0) return true; // fec0::/10 site-local (deprecated)
  if ((first & 0xff00) === 0xff00) return true; // ff00::/8 multicast
  if (first === 0x2001 && words[1] === 0x0db8) return true; // 2001:db8::/32 documentation
  const v4 = embeddedV4(words);
  return v4 !== undefined && blockedV4(v4);
}

/**
 * The IPv4 address an IPv6 address carries: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), translated
 * (::ffff:0:a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
 */
function embeddedV4(words: number[]): number | undefined {
  const w = (index: number) => words[index] ?? 0;
  const tail = ((w(6) << 16) | w(7)) >>> 0;
  const zeros = (from: number, to: number) => words.slice(from, to).every((word) => word === 0);
  if (zeros(0, 5) && (w(5) === 0xffff || w(5) === 0)) return tail;
  if (zeros(0, 4) && w(4) === 0xffff && w(5) === 0) return tail;
  if (w(0) === 0x64 && w(1) === 0xff9b && zeros(2, 6)) return tail;
  if (w(0) === 0x2002) return ((w(1) << 16) | w(2)) >>> 0;
  return undefined;
}

function parseAddress(text: string): Address | undefined {
  let ip = text.trim();
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  if (ip.includes(':')) {
    const words = parseIPv6(ip);
    return words === undefined ? undefined : { family: 6, words };
  }
  const value = parseIPv4(ip);
  return value === undefined ? undefined : { family: 4, value };
}

/** One part of an IPv4 literal: decimal, 0x hex or 0-led octal (inet_aton's rules). */
function parseV4Part(part: string): number | undefined {
  if (/^0x[0-9a-f]*$/i.test(part)) return part.length === 2 ? 0 : Number.parseInt(part.slice(2), 16);
  if (/^0[0-7]*$/.test(part)) return Number.parseInt(part, 8);
  if (/^[1-9][0-9]*$/.test(part)) return Number(part);
  return undefined;
}

/** An IPv4 literal of one to four parts (`127.1`, `2130706433`, `0x7f.0.0.1`, `0177.0.0.1`) as a uint32. */
function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop(); // a trailing dot
  if (parts.length < 1 || parts.length > 4) return undefined;
  const values = parts.map(parseV4Part);
  if (values.some((value) => value === undefined || !Number.isFinite(value))) return undefined;
  const numbers = values as number[];
  const last = numbers[numbers.length - 1] ?? 0;
  const leading = numbers.slice(0, -1);
  if (leading.some((value) => value > 0xff)) return undefined;
  const lastBytes = 4 - leading.length;
  if (last >= 2 ** (8 * lastBytes)) return undefined;
  const high = leading.reduce((sum, value, index) => sum + value * 2 ** (8 * (3 - index)), 0);
  return high + last;
}

/** An IPv6 literal (`::1`, `fe80::1%eth0`, `::ffff:127.0.0.1`, `0:0:0:0:0:0:0:1`) as eight 16-bit words. */
function parseIPv6(text: string): number[] | undefined {
  const ip = text.split('%')[0] ?? '';
  if (!/^[0-9a-f:.]+$/i.test(ip)) return undefined;
  let head = ip;
  let v4Words: number[] = [];
  const lastColon = ip.lastIndexOf(':');
  const tail = ip.slice(lastColon + 1);
  if (tail.includes('.')) {
    const parts = tail.split('.');
    if (parts.length !== 4 || parts.some((part) => !/^[0-9]{1,3}$/.test(part))) return undefined;
    const bytes = parts.map(Number);
    if (bytes.some((byte) => byte > 255)) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = bytes;
    v4Words = [(a << 8) | b, (c << 8) | d];
    head = ip.slice(0, lastColon + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const words = (half: string | undefined): number[] | undefined => {
    if (half === undefined || half === '') return [];
    const groups = half.split(':');
    if (groups.some((group) => !/^[0-9a-f]{1,4}$/i.test(group))) return undefined;
    return groups.map((group) => Number.parseInt(group, 16));
  };
  const before = words(halves[0]);
  const after = words(halves[1]);
  if (before === undefined || after === undefined) return undefined;
  const explicit = before.length + after.length + v4Words.length;
  if (halves.length === 1) {
    return explicit === 8 ? [...before, ...v4Words] : undefined;
  }
  if (explicit > 7) return undefined;
  return [...before, ...new Array<number>(8 - explicit).fill(0), ...after, ...v4Words];
}
