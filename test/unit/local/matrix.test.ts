import { type HomeserverRequest, LocalHomeserver } from '../../../local/matrix/homeserver.js';

const TOKEN = 'syt_local_publisher';
const ROOM = '!payments:tween.example';
const ALICE = '@alice:tween.example';
const BOB = '@bob:tween.example';

const enc = encodeURIComponent;
const auth = { authorization: `Bearer ${TOKEN}` };

function request(method: string, path: string, extra: Partial<HomeserverRequest> = {}): HomeserverRequest {
  return { method, path, headers: {}, body: undefined, ...extra };
}

function join(server: LocalHomeserver, roomId: string, userId: string) {
  return server.handle(request('PUT', `/local/matrix/rooms/${enc(roomId)}/members/${enc(userId)}`));
}

function send(server: LocalHomeserver, roomId: string, txnId: string, content: unknown, headers = auth) {
  const path = `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/${enc(txnId)}`;
  return server.handle(request('PUT', path, { headers, body: content }));
}

function joinedMembers(server: LocalHomeserver, roomId: string, headers: Record<string, string> = auth) {
  return server.handle(request('GET', `/_matrix/client/v3/rooms/${enc(roomId)}/joined_members`, { headers }));
}

function events(server: LocalHomeserver, roomId: string) {
  return server.handle(request('GET', `/local/matrix/rooms/${enc(roomId)}/events`));
}

describe('Class: LocalHomeserver', () => {
  describe('Method: handle (joined_members)', () => {
    it('returns every joined user with null profile fields when users joined the room', () => {
      // Arrange
      const server = new LocalHomeserver({ accessToken: TOKEN });
      join(server, ROOM, ALICE);
      join(server, ROOM, BOB);

      // Act
      const response = joinedMembers(server, ROOM);

      // Assert
      expect(response).toEqual({
        status: 200,
        body: {
          joined: {
            [ALICE]: { display_name: null, avatar_url: null },
            [BOB]: { display_name: null, avatar_url: null },
          },
        },
      });
    });

    it('returns the remaining members when a user left', () => {
      // Arrange
      const server = new LocalHomeserver({ accessToken: TOKEN });
      join(server, ROOM, ALICE);
      join(server, ROOM, BOB);

      // Act
      const left = server.handle(request('DELETE', `/local/matrix/rooms/${enc(ROOM)}/members/${enc(ALICE)}`));
      const response = joinedMembers(server, ROOM);

      // Assert
      expect(left).toEqual({ status: 200, body: {} });
      expect(response?.body).toEqual({ joined: { [BOB]: { display_name: null, avatar_url: null } } });
    });

    it('returns 403 M_FORBIDDEN when the room is unknown', () => {
      // Arrange
      const server = new LocalHomeserver({ accessToken: TOKEN });

      // Act
      const response = joinedMembers(server, '!nowhere:tween.example');

      // Assert
      expect(response).toEqual({ status: 403, body: { errcode: 'M_FORBIDDEN', error: expect.any(String) } });
    });

    it('returns 401 M_MISSING_TOKEN when no token is sent', () => {
      // Arrange
      const server = new LocalHomeserver({ accessToken: TOKEN });
      join(server, ROOM, ALICE);

      // Act
      const response = joinedMembers(server, ROOM, {});

      // Assert
      expect(response).toEqual({
        status: 401,
        body: { errcode: 'M_MISSING_TOKEN', error: expect.any(String) },
      });
    });

    it('returns 401 M_UNKNOWN_TOKEN when the token is wrong', () => {
      // Arrange
      const server = new LocalHomeserver({ accessToken: TOKEN });
      join(server, ROOM, ALICE);

      // Act
      const response = joinedMembers(server, ROOM, { Authorization: 'Bearer someone-else' });

      // Assert
      expect(response?.status).toBe(401);
      expect(response?.body).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
    });

    it('returns the members when the token comes as the access_token query parameter', () => {
      // Arrange
      const server = new LocalHomeserver({ accessToken: TOKEN });
      join(server, ROOM, ALICE);
      const path = `/_matrix/client/v3/rooms/${enc(ROOM)}/joined_members?access_token=${TOKEN}`;

      // Act
      const response = server.handle(request('GET', path));

      // Assert
      expect(response?.status).toBe(200);
    });
  });

  describe('Method: handle (send)', () => {
    it('returns one event id and records one event when the same txnId is sent twice', () => {
      // Arrange
      const server = new LocalHomeserver({ accessToken: TOKEN, userId: '@bot:tween.example' });
      join(server, ROOM, ALICE);
      const content = { msgtype: 'm.text', body: 'Payment pay_1 captured' };

      // Act
      const first = send(server, ROOM, 'txn-1', content);
      const retry = send(server, ROOM, 'txn-1', content);
      const listed = events(server, ROOM);

      // Assert
      expect(first?.status).toBe(200);
      expect(first?.body).toEqual({ event_id: expect.stringMatching(/^\$/) });
      expect(retry).toEqual(first);
      expect(listed?.body).toEqual({
        events: [
          {
            event_id: (first?.body as { event_id?: string } | undefined)?.event_id,
            type: 'm.room.message',
            room_id: ROOM,
            txn_id: 'txn-1',
            sender: '@bot:tween.example',
            content,
            origin_server_ts: expect.any(Number),
          },
        ],
      });
    });

    it('returns a new event id when the txnId differs', () => {
      // Arrange
      const server = new LocalHomeserver({ accessToken: TOKEN });
      join(server, ROOM, ALICE);

      // Act
      const first = send(server, ROOM, 'txn-1', { body: 'a' });
      const second = send(server, ROOM, 'txn-2', { body: 'a' });

      // Assert
      expect(second?.body).not.toEqual(first?.body);
    });

    it('lists events oldest first when several were sent', () => {
      // Arrange
      const server = new LocalHomeserver({ accessToken: TOKEN });
      join(server, ROOM, ALICE);

      // Act
      send(server, ROOM, 't1', { body: 'first' });
      send(server, ROOM, 't2', { body: 'second' });
      send(server, ROOM, 't1', { body: 'first again' });
      send(server, ROOM, 't3', { body: 'third' });
      const listed = events(server, ROOM)?.body as { events: { txn_id: string; content: unknown }[] };

      // Assert
      expect(listed.events.map((event) => event.txn_id)).toEqual(['t1', 't2', 't3']);
      expect(listed.events.map((event) => event.content)).toEqual([
        { body: 'first' },
        { body: 'second' },
        { body: 'third' },
      ]);
    });

    it('returns 403 M_FORBIDDEN and records nothing when the room is unknown', () => {
      // Arrange
      const server = new LocalHomeserver({ accessToken: TOKEN });
      const unknown = '!ghost:tween.example';

      // Act
      const response = send(server, unknown, 'txn-1', { body: 'x' });

      // Assert
      expect(response?.status).toBe(403);
      expect(response?.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
      expect(events(server, unknown)).toEqual({
        status: 404,
        body: { errcode: 'M_NOT_FOUND', error: expect.any(String) },
      });
    });

    it.each([
      ['no token', {}, 'M_MISSING_TOKEN'],
      ['a wrong token', { authorization: 'Bearer nope' }, 'M_UNKNOWN_TOKEN'],
    ])('returns 401 and records nothing when the request carries %s', (_name, headers, errcode) => {
      // Arrange
      const server = new LocalHomeserver({ accessToken: TOKEN });
      join(server, ROOM, ALICE);

      // Act
      const response = send(server, ROOM, 'txn-1', { body: 'x' }, headers as typeof auth);

      // Assert
      expect(response?.status).toBe(401);
      expect(response?.body).toMatchObject({ errcode });
      expect(events(server, ROOM)?.body).toEqual({ events: [] });
    });

    it('returns 400 M_BAD_JSON when the content is not a JSON object', () => {
      // Arrange
      const server = new LocalHomeserver({ accessToken: TOKEN });
      join(server, ROOM, ALICE);

      // Act
      const response = send(server, ROOM, 'txn-1', ['not', 'an', 'object']);

      // Assert
      expect(response).toEqual({ status: 400, body: { errcode: 'M_BAD_JSON', error: expect.any(String) } });
    });

    it('counts one request per client-server call when onRequest is given', () => {
      // Arrange
      let count = 0;
      const server = new LocalHomeserver({ accessToken: TOKEN, onRequest: () => (count += 1) });
      join(server, ROOM, ALICE);

      // Act
      send(server, ROOM, 'txn-1', { body: 'x' });
      joinedMembers(server, ROOM);
      events(server, ROOM);

      // Assert
      expect(count).toBe(2);
    });
  });

  describe('Method: handle (routing)', () => {
    it('decodes percent-encoded room and user ids segment by segment', () => {
      // Arrange
      const server = new LocalHomeserver({ accessToken: TOKEN });
      const room = '!a/b%c:tween.example';
      const user = '@weird/name:tween.example';

      // Act
      const joined = join(server, room, user);
      const members = joinedMembers(server, room);

      // Assert
      expect(joined).toEqual({ status: 200, body: { room_id: room } });
      expect(members?.body).toEqual({ joined: { [user]: { display_name: null, avatar_url: null } } });
    });

    it('returns undefined when the path is not the homeserver\u2019s', () => {
      // Arrange
      const server = new LocalHomeserver({ accessToken: TOKEN });

      // Act
      const response = server.handle(request('GET', '/payments/pay_1'));

      // Assert
      expect(response).toBeUndefined();
    });

    it.each([
      ['an unknown client-server path', 'GET', '/_matrix/client/v3/sync', 404],
      [
        'a known path with the wrong method',
        'POST',
        `/_matrix/client/v3/rooms/${enc(ROOM)}/joined_members`,
        405,
      ],
      ['an unknown local path', 'GET', '/local/matrix/rooms', 404],
    ])('returns M_UNRECOGNIZED when the request is %s', (_name, method, path, status) => {
      // Arrange
      const server = new LocalHomeserver({ accessToken: TOKEN });

      // Act
      const response = server.handle(request(method, path, { headers: auth }));

      // Assert
      expect(response).toEqual({ status, body: { errcode: 'M_UNRECOGNIZED', error: expect.any(String) } });
    });

    it('returns 400 M_INVALID_PARAM when a joined id is not a Matrix user id', () => {
      // Arrange
      const server = new LocalHomeserver({ accessToken: TOKEN });

      // Act
      const response = join(server, ROOM, 'alice');

      // Assert
      expect(response?.status).toBe(400);
      expect(response?.body).toMatchObject({ errcode: 'M_INVALID_PARAM' });
    });

    it('returns 404 M_NOT_FOUND when a user leaves a room they are not in', () => {
      // Arrange
      const server = new LocalHomeserver({ accessToken: TOKEN });
      join(server, ROOM, ALICE);

      // Act
      const response = server.handle(
        request('DELETE', `/local/matrix/rooms/${enc(ROOM)}/members/${enc(BOB)}`),
      );

      // Assert
      expect(response?.status).toBe(404);
      expect(response?.body).toMatchObject({ errcode: 'M_NOT_FOUND' });
    });
  });
});
