/**
 * `npm run docs:routes`: writes the route map (shared/infra/route-map.ts) into the README's Layout section,
 * between its markers. test/unit/shared/route-map.test.ts fails when the README is behind.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withRouteMap } from '../shared/infra/route-map.js';

const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
const before = readFileSync(readmePath, 'utf8');
const after = withRouteMap(before);
if (after !== before) writeFileSync(readmePath, after);
process.stdout.write(after === before ? 'README route map up to date\n' : 'README route map written\n');
