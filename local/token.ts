/**
 * `npm run token -- @alice:tween.example [--roles ops] [--expires 3600]` prints a local dev token.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_LOCAL_JWT_SECRET, signLocalToken } from './auth.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { roles: { type: 'string' }, expires: { type: 'string' } },
});
const userId = positionals[0];
if (userId === undefined || !/^@[^:\s]+:\S+$/.test(userId)) {
  process.stderr.write('Usage: npm run token -- @alice:tween.example [--roles ops,admin] [--expires 3600]\n');
  process.exit(2);
}
const token = await signLocalToken(userId, {
  secret: process.env.LOCAL_JWT_SECRET ?? DEFAULT_LOCAL_JWT_SECRET,
  ...(values.roles === undefined ? {} : { roles: values.roles.split(',').filter((r) => r !== '') }),
  ...(values.expires === undefined ? {} : { expiresInSeconds: Number(values.expires) }),
});
process.stdout.write(`${token}\n`);
