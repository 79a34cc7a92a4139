import { type HomeserverRequest, LocalHomeserver } from '../../../local/matrix/homeserver.js';

const TOKEN = 'syt_local_publisher';
const ROOM = '!payments:tween.example';
const enc = encodeURIComponent;

function request(method: string, path: string, extra: Partial<HomeserverRequest> = {}): HomeserverRequest {
  return { method, path, headers: {}, body: undefined, ...extra };
}

function send(server: LocalHomeserver, txnId: string) {
  return server.handle(
    request('PUT', `/_matrix/client/v3/rooms/${enc(ROOM)}/send/m.tween.gift/${txnId}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
      body: { gift_id: 'g1' },
    }),
  );
}

function setOutage(server: LocalHomeserver, mode: unknown) {
  return server.handle(request('PUT', '/local/matrix/outage', { body: { mode } }));
}

describe('Class: LocalHomeserver', () => {
  describe('Route: PUT /local/matrix/outage', () => {
    it('answers the client-server API 503 M_UNKNOWN while unavailable, and keeps nothing it refused', () => {
      // Arrange
      const server = new LocalHomeserver({ accessToken: TOKEN });
      server.handle(request('PUT', `/local/matrix/rooms/${enc(ROOM)}/members/${enc('@a:tween.example')}`));
      setOutage(server, 'unavailable');

      // Act
      const refused = send(server, 't1');
      const members = server.handle(
        request('GET', `/_matrix/client/v3/rooms/${enc(ROOM)}/joined_members`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        }),
      );
      const eventsDuring = server.handle(request('GET', `/local/matrix/rooms/${enc(ROOM)}/events`));

      // Assert
      expect(refused).toEqual({ status: 503, body: { errcode: 'M_UNKNOWN', error: expect.any(String) } });
      expect(members?.status).toBe(503);
      expect(eventsDuring).toEqual({ status: 200, body: { events: [] } });
    });

    it('takes events again once the outage ends, a retried transaction once', () => {
      // Arrange
      const server = new LocalHomeserver({ accessToken: TOKEN });
      server.handle(request('PUT', `/local/matrix/rooms/${enc(ROOM)}/members/${enc('@a:tween.example')}`));
      setOutage(server, 'unavailable');
      send(server, 't1');

      // Act
      const ended = setOutage(server, 'none');
      const first = send(server, 't1');
      const again = send(server, 't1');
      const events = server.handle(request('GET', `/local/matrix/rooms/${enc(ROOM)}/events`));

      // Assert
      expect(ended).toEqual({ status: 200, body: { mode: 'none' } });
      expect(first?.status).toBe(200);
      expect(again?.body).toEqual(first?.body);
      expect(events?.body).toEqual({ events: [expect.anything()] });
    });

    it('refuses an unknown mode with 400 and reports the current one on GET', () => {
      // Arrange
      const server = new LocalHomeserver({ accessToken: TOKEN });

      // Act
      const refused = setOutage(server, 'flaky');
      const current = server.handle(request('GET', '/local/matrix/outage'));

      // Assert
      expect(refused?.status).toBe(400);
      expect(current).toEqual({ status: 200, body: { mode: 'none' } });
    });
  });
});
