/**
 * The slice of a Matrix homeserver the publisher uses, in memory: joined members and sending a room
 * event, with the client-server API's shapes and error codes. Routes under `/local/matrix/` let tests and
 * the developer join users and read what was sent; they need no token.
 *
 *   GET    /_matrix/client/v3/rooms/{roomId}/joined_members
 *   PUT    /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}
 *   PUT    /local/matrix/rooms/{roomId}/members/{userId}    join (creates the room)
 *   DELETE /local/matrix/rooms/{roomId}/members/{userId}    leave
 *   GET    /local/matrix/rooms/{roomId}/events              sent events, oldest first
 *   GET    /local/matrix/outage                             the simulated outage: `{"mode": "none" | "unavailable"}`
 *   PUT    /local/matrix/outage                             start or end one (`unavailable`: the client-server
 *                                                           API answers 503, as a homeserver behind its proxy does
 *                                                           when it is down; the /local/ helpers go on working)
 */
import { randomBytes } from 'node:crypto';
import { recordOf } from '../../shared/json.js';

export const DEFAULT_BOT_USER_ID = '@payments-bot:tween.example';

export interface HomeserverRequest {
  method: string;
  /** The raw request path, percent-encoded, optionally with a query string. */
  path: string;
  headers: Record<string, string | undefined>;
  /** The parsed JSON body (a JSON string is parsed too); `undefined` when there is none. */
  body: unknown;
}

export interface HomeserverResponse {
  status: number;
  body: unknown;
}

export interface LocalHomeserverOptions {
  /** The one access token the client-server routes accept (the publisher's). */
  accessToken: string;
  /** Called once per client-server request (the `matrixRequests` counter); `/local/` helpers are not counted. */
  onRequest?: () => void;
  /** The sender recorded on events sent with the access token. */
  userId?: string;
}

export interface SentEvent {
  event_id: string;
  type: string;
  room_id: string;
  txn_id: string;
  sender: string;
  content: Record<string, unknown>;
  origin_server_ts: number;
}

interface Room {
  /** Insertion-ordered, so joined_members lists users in join order. */
  members: Set<string>;
  events: SentEvent[];
}

type Params = { roomId: string; userId?: string; eventType?: string; txnId?: string };

export type HomeserverOutage = 'none' | 'unavailable';

export class LocalHomeserver {
  readonly #accessToken: string;
  readonly #onRequest: (() => void) | undefined;
  readonly #userId: string;
  readonly #rooms = new Map<string, Room>();
  /** (access token, room, txnId) → event id: a retried send returns the first event. */
  readonly #transactions = new Map<string, string>();
  #outage: HomeserverOutage = 'none';

  constructor(opts: LocalHomeserverOptions) {
    if (opts.accessToken === '') throw new Error('The local homeserver needs a non-empty access token');
    this.#accessToken = opts.accessToken;
    this.#onRequest = opts.onRequest;
    this.#userId = opts.userId ?? DEFAULT_BOT_USER_ID;
  }

  /** Handles a request whose path belongs to the homeserver; returns `undefined` for any other path. */
  handle(req: HomeserverRequest): HomeserverResponse | undefined {
    const [pathPart = '', query = ''] = splitOnce(req.path, '?');
    const raw = pathPart.split('/').slice(1);
    if (raw[0] === '_matrix') {
      this.#onRequest?.();
      if (this.#outage === 'unavailable') {
        return error(503, 'M_UNKNOWN', 'The homeserver is unavailable (a simulated outage)');
      }
      return this.#client(req, raw, new URLSearchParams(query));
    }
    if (raw[0] === 'local' && raw[1] === 'matrix') return this.#local(req, raw);
    return undefined;
  }

  // --- Client-server API ------------------------------------------------------------------------------

  #client(req: HomeserverRequest, raw: string[], query: URLSearchParams): HomeserverResponse {
    const segments = decodeSegments(raw);
    if (segments === undefined)
      return error(400, 'M_INVALID_PARAM', 'The path is not valid percent-encoding');
    const route = matchRoute(
      segments,
      [
        ['GET', ['_matrix', 'client', 'v3', 'rooms', ':roomId', 'joined_members']],
        ['PUT', ['_matrix', 'client', 'v3', 'rooms', ':roomId', 'send', ':eventType', ':txnId']],
      ],
      req.method,
    );
    if (route === 'unknown') return error(404, 'M_UNRECOGNIZED', 'Unrecognized request');
    if (route === 'method') return error(405, 'M_UNRECOGNIZED', 'Unrecognized request');

    const token = accessTokenOf(req.headers, query);
    if (token === undefined) return error(401, 'M_MISSING_TOKEN', 'Missing access token');
    if (token !== this.#accessToken) {
      return {
        status: 401,
        body: { errcode: 'M_UNKNOWN_TOKEN', error: 'Unknown access token', soft_logout: false },
      };
    }

    const { roomId } = route.params;
    if (!isRoomId(roomId)) return error(400, 'M_INVALID_PARAM', `'${roomId}' is not a valid room ID`);
    const room = this.#rooms.get(roomId);
    // Synapse answers 403 alike for a room that does not exist and one the user is not in.
    if (room === undefined) return error(403, 'M_FORBIDDEN', `User ${this.#userId} not in room ${roomId}`);

    const { eventType, txnId } = route.params;
    if (eventType === undefined || txnId === undefined) return this.#joinedMembers(room);
    return this.#send(room, roomId, eventType, txnId, token, req.body);
  }

  #joinedMembers(room: Room): HomeserverResponse {
    const joined: Record<string, { display_name: null; avatar_url: null }> = {};
    for (const userId of room.members) joined[userId] = { display_name: null, avatar_url: null };
    return { status: 200, body: { joined } };
  }

  #send(
    room: Room,
    roomId: string,
    eventType: string,
    txnId: string,
    token: string,
    body: unknown,
  ): HomeserverResponse {
    const content = jsonObject(body);
    if (content === 'not-json') return error(400, 'M_NOT_JSON', 'Content not JSON.');
    if (content === 'not-object') return error(400, 'M_BAD_JSON', 'Content must be a JSON object.');

    const transaction = JSON.stringify([token, roomId, txnId]);
    const previous = this.#transactions.get(transaction);
    if (previous !== undefined) return { status: 200, body: { event_id: previous } };

    const event: SentEvent = {
      event_id: `$${randomBytes(24).toString('base64url')}`,
      type: eventType,
      room_id: roomId,
      txn_id: txnId,
      sender: this.#userId,
      content: structuredClone(content),
      origin_server_ts: Date.now(),
    };
    room.events.push(event);
    this.#transactions.set(transaction, event.event_id);
    return { status: 200, body: { event_id: event.event_id } };
  }

  // --- Local helpers ----------------------------------------------------------------------------------

  #local(req: HomeserverRequest, raw: string[]): HomeserverResponse {
    if (raw.length === 3 && raw[2] === 'outage') return this.#outageRoute(req);
    const segments = decodeSegments(raw);
    if (segments === undefined)
      return error(400, 'M_INVALID_PARAM', 'The path is not valid percent-encoding');
    const route = matchRoute(
      segments,
      [
        ['PUT', ['local', 'matrix', 'rooms', ':roomId', 'members', ':userId']],
        ['DELETE', ['local', 'matrix', 'rooms', ':roomId', 'members', ':userId']],
        ['GET', ['local', 'matrix', 'rooms', ':roomId', 'events']],
      ],
      req.method,
    );
    if (route === 'unknown') return error(404, 'M_UNRECOGNIZED', 'Unrecognized request');
    if (route === 'method') return error(405, 'M_UNRECOGNIZED', 'Unrecognized request');

    const { roomId, userId } = route.params;
    if (!isRoomId(roomId)) return error(400, 'M_INVALID_PARAM', `'${roomId}' is not a valid room ID`);
    if (userId === undefined) return this.#events(roomId);
    if (!isUserId(userId)) return error(400, 'M_INVALID_PARAM', `'${userId}' is not a valid user ID`);
    return req.method === 'PUT' ? this.#join(roomId, userId) : this.#leave(roomId, userId);
  }

  #outageRoute(req: HomeserverRequest): HomeserverResponse {
    const method = req.method.toUpperCase();
    if (method === 'PUT') {
      const mode = recordOf(req.body)?.mode;
      if (mode !== 'none' && mode !== 'unavailable') {
        return error(400, 'M_INVALID_PARAM', 'mode must be one of none or unavailable');
      }
      this.#outage = mode;
    } else if (method !== 'GET') {
      return error(405, 'M_UNRECOGNIZED', 'Unrecognized request');
    }
    return { status: 200, body: { mode: this.#outage } };
  }

  #join(roomId: string, userId: string): HomeserverResponse {
    const room = this.#rooms.get(roomId) ?? { members: new Set<string>(), events: [] };
    this.#rooms.set(roomId, room);
    room.members.add(userId);
    return { status: 200, body: { room_id: roomId } };
  }

  #leave(roomId: string, userId: string): HomeserverResponse {
    const room = this.#rooms.get(roomId);
    if (room === undefined) return error(404, 'M_NOT_FOUND', `Unknown room ${roomId}`);
    if (!room.members.delete(userId)) return error(404, 'M_NOT_FOUND', `${userId} is not in room ${roomId}`);
    return { status: 200, body: {} };
  }

  #events(roomId: string): HomeserverResponse {
    const room = this.#rooms.get(roomId);
    if (room === undefined) return error(404, 'M_NOT_FOUND', `Unknown room ${roomId}`);
    return { status: 200, body: { events: structuredClone(room.events) } };
  }
}

// --- Helpers -----------------------------------------------------------------------------------------

function error(status: number, errcode: string, message: string): HomeserverResponse {
  return { status, body: { errcode, error: message } };
}

function splitOnce(value: string, separator: string): [string, string] {
  const index = value.indexOf(separator);
  return index === -1 ? [value, ''] : [value.slice(0, index), value.slice(index + 1)];
}

/** Decodes each segment on its own, so an encoded `/` inside an id stays inside that id. */
function decodeSegments(raw: readonly string[]): string[] | undefined {
  try {
    return raw.map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

function matchRoute(
  segments: readonly string[],
  routes: readonly (readonly [string, readonly string[]])[],
  method: string,
): { params: Params } | 'unknown' | 'method' {
  let pathMatched = false;
  for (const [routeMethod, template] of routes) {
    const params = matchTemplate(segments, template);
    if (params === undefined) continue;
    pathMatched = true;
    if (routeMethod === method.toUpperCase()) return { params };
  }
  return pathMatched ? 'method' : 'unknown';
}

function matchTemplate(segments: readonly string[], template: readonly string[]): Params | undefined {
  if (segments.length !== template.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of template.entries()) {
    const segment = segments[index];
    if (segment === undefined) return undefined;
    if (part.startsWith(':')) {
      if (segment === '') return undefined;
      params[part.slice(1)] = segment;
    } else if (segment !== part) {
      return undefined;
    }
  }
  const { roomId, userId, eventType, txnId } = params;
  if (roomId === undefined) return undefined;
  return {
    roomId,
    ...(userId === undefined ? {} : { userId }),
    ...(eventType === undefined ? {} : { eventType }),
    ...(txnId === undefined ? {} : { txnId }),
  };
}

/** `Authorization: Bearer <token>`, or the deprecated `access_token` query parameter. */
function accessTokenOf(
  headers: Record<string, string | undefined>,
  query: URLSearchParams,
): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'authorization' || value === undefined) continue;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
    return match?.[1];
  }
  return query.get('access_token') ?? undefined;
}

function isRoomId(value: string): boolean {
  return /^![^:]+:.+$/.test(value);
}

function isUserId(value: string): boolean {
  return /^@[^:]+:.+$/.test(value);
}

function jsonObject(body: unknown): Record<string, unknown> | 'not-json' | 'not-object' {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return 'not-json';
    }
  }
  if (value === undefined) return 'not-json';
  return recordOf(value) ?? 'not-object';
}
