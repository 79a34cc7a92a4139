/**
 * The signing of list cursors, keyed by the cursor secret of the app secrets. Asynchronous (the secret is
 * read from Secrets Manager): built on the first request that lists, and again after a failed read.
 */
import { loadAppSecrets } from '../adapters/aws/app-secrets.js';
import { CursorCodec } from '../app/cursor.js';
import { onceAsync } from '../lazy.js';

export const cursorCodec = onceAsync(async () => new CursorCodec((await loadAppSecrets()).cursorSecret));
