/**
 * Matrix rooms: who is in one (payments, transfers and gifts check it) and posting to one (the publisher).
 * The homeserver URL (MATRIX_HOMESERVER_URL) is read when the adapter is built; the token on each use.
 */
import { MatrixClientServerApi } from '../adapters/matrix/client.js';
import { loadMatrixAccessToken, matrixHomeserverUrl } from '../adapters/matrix/config.js';
import { MatrixRoomDirectory } from '../adapters/matrix/room-directory.js';
import { once } from '../lazy.js';

export const rooms = once(
  () => new MatrixRoomDirectory(matrixHomeserverUrl(), () => loadMatrixAccessToken()),
);

export const roomMessenger = once(
  () =>
    new MatrixClientServerApi({
      homeserverUrl: matrixHomeserverUrl(),
      accessToken: () => loadMatrixAccessToken(),
    }),
);
