import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MatrixRoomDirectory } from '../../../shared/adapters/matrix/room-directory.js';
import { DependencyUnavailableError } from '../../../shared/domain/errors.js';
import { mapError } from '../../../shared/http/errors.js';

const ROOM = '!chat:tween.example';

/** A homeserver on a free loopback port that answers every request with `answer`. */
async function homeserver(answer: {
  status: number;
  body: unknown;
}): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer.body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('Class: MatrixRoomDirectory', () => {
  const servers: Server[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  async function directoryAnswering(status: number, body: unknown): Promise<MatrixRoomDirectory> {
    const { url, server } = await homeserver({ status, body });
    servers.push(server);
    return new MatrixRoomDirectory(url, async () => 'syt_token');
  }

  describe('Method: joinedMembers', () => {
    it('returns the joined members the homeserver lists', async () => {
      // Arrange
      const directory = await directoryAnswering(200, {
        joined: { '@a:tween.example': {}, '@b:tween.example': {} },
      });

      // Act
      const members = await directory.joinedMembers(ROOM);

      // Assert
      expect([...members].sort()).toEqual(['@a:tween.example', '@b:tween.example']);
    });

    it('returns no members for a room the homeserver does not show (404)', async () => {
      // Arrange
      const directory = await directoryAnswering(404, { errcode: 'M_NOT_FOUND' });

      // Act
      const members = await directory.joinedMembers(ROOM);

      // Assert
      expect(members.size).toBe(0);
    });

    it.each([503, 502, 500])(
      'throws DEPENDENCY_UNAVAILABLE (503) when the homeserver answers %i',
      async (status) => {
        // Arrange
        const directory = await directoryAnswering(status, { errcode: 'M_UNKNOWN', error: 'down' });

        // Act
        const error = await failureOf(directory.joinedMembers(ROOM));

        // Assert
        expect(error).toBeInstanceOf(DependencyUnavailableError);
        expect(mapError(error)).toMatchObject({
          status: 503,
          body: { error: { code: 'DEPENDENCY_UNAVAILABLE' } },
        });
      },
    );

    it('throws DEPENDENCY_UNAVAILABLE (503) when the homeserver does not answer within the deadline', async () => {
      // Arrange: a homeserver that takes the request and never answers.
      const server = createServer(() => undefined);
      servers.push(server);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      const directory = new MatrixRoomDirectory(`http://127.0.0.1:${port}`, async () => 'syt_token', 50);

      // Act
      const error = await failureOf(directory.joinedMembers(ROOM));

      // Assert
      expect(error).toBeInstanceOf(DependencyUnavailableError);
      expect(mapError(error).status).toBe(503);
      server.closeAllConnections();
    });

    it('throws DEPENDENCY_UNAVAILABLE (503) when the homeserver stalls after its headers, past the deadline', async () => {
      // Arrange: 200 and the start of a body, then nothing.
      const server = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"joined":');
      });
      servers.push(server);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      const directory = new MatrixRoomDirectory(`http://127.0.0.1:${port}`, async () => 'syt_token', 1_500);

      // Act
      const error = await failureOf(directory.joinedMembers(ROOM));

      // Assert
      expect(error).toBeInstanceOf(DependencyUnavailableError);
      expect(mapError(error)).toMatchObject({
        status: 503,
        body: { error: { code: 'DEPENDENCY_UNAVAILABLE' } },
      });
      server.closeAllConnections();
    });

    it('throws DEPENDENCY_UNAVAILABLE (503) when nothing listens at the homeserver address', async () => {
      // Arrange
      const { url, server } = await homeserver({ status: 200, body: {} });
      await new Promise((resolve) => server.close(resolve));
      const directory = new MatrixRoomDirectory(url, async () => 'syt_token');

      // Act
      const error = await failureOf(directory.joinedMembers(ROOM));

      // Assert
      expect(error).toBeInstanceOf(DependencyUnavailableError);
      expect(mapError(error).status).toBe(503);
    });
  });
});
