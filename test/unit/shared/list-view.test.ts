/**
 * Every list of the merchant platform is one shape (API.md "Conventions":
 * `{"object":"list","data","has_more","next_cursor"}`), built in one place: shared/http/views/list.ts for the
 * answer and shared/http/schemas/list.ts for its OpenAPI schema. A second builder of that shape is refused
 * here, by name, so the lists cannot drift apart again (#16).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listView } from '../../../shared/http/views/list.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [relative(repoRoot, path)] : [];
  });
}

describe('listView', () => {
  it('answers a page with a next cursor as has_more with that cursor', () => {
    expect(listView([{ id: 'a' }], 'next')).toEqual({
      object: 'list',
      data: [{ id: 'a' }],
      has_more: true,
      next_cursor: 'next',
    });
  });

  it.each([null, undefined])(
    'answers the last page (cursor %p) as has_more false, next_cursor null',
    (cursor) => {
      expect(listView([], cursor)).toEqual({ object: 'list', data: [], has_more: false, next_cursor: null });
    },
  );
});

describe('one list builder', () => {
  const files = ['shared', 'functions'].flatMap((dir) => typeScriptFiles(join(repoRoot, dir)));
  const builders = (pattern: RegExp) =>
    files.filter((file) => pattern.test(readFileSync(join(repoRoot, file), 'utf8'))).sort();

  it("builds the list answer (object: 'list') only in shared/http/views/list.ts", () => {
    expect(builders(/object:\s*'list'/)).toEqual([join('shared', 'http', 'views', 'list.ts')]);
  });

  it("builds the list schema (z.literal('list')) only in shared/http/schemas/list.ts", () => {
    expect(builders(/z\.literal\('list'\)/)).toEqual([join('shared', 'http', 'schemas', 'list.ts')]);
  });
});
