/**
 * The browsable API reference (GET /docs): an HTML page whose stylesheet and scripts all come from this API
 * (no CDN), each answering, and the document it renders.
 */
import { apiUrl } from '../support/api.js';

async function get(path: string): Promise<{ status: number; type: string; headers: Headers; text: string }> {
  const response = await fetch(new URL(path, apiUrl()));
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    headers: response.headers,
    text: await response.text(),
  };
}

/**
 * Every URL the page makes the browser load (src and href attributes), resolved against the page; data: URLs
 * (the empty icon) load nothing.
 */
function referencedUrls(html: string, page: URL): URL[] {
  return [...html.matchAll(/\s(?:src|href)\s*=\s*["']([^"']*)["']/gi)]
    .map((match) => new URL(match[1] ?? '', page))
    .filter((url) => url.protocol !== 'data:');
}

describe('Stack: the API reference', () => {
  describe('Route: GET /docs', () => {
    it('answers 200 with an HTML page, without a token', async () => {
      // Act
      const page = await get('/docs');

      // Assert
      expect(page.status).toBe(200);
      expect(page.type).toMatch(/^text\/html\b/);
      expect(page.text).toMatch(/^<!doctype html>/i);
    });

    it('references only assets of this API, and no inline script', async () => {
      // Arrange
      const pageUrl = new URL('/docs', apiUrl());

      // Act
      const page = await get('/docs');
      const urls = referencedUrls(page.text, pageUrl);

      // Assert
      expect(urls.length).toBeGreaterThanOrEqual(3);
      expect(urls.filter((url) => url.origin !== pageUrl.origin).map(String)).toEqual([]);
      expect(urls.map((url) => url.pathname).sort()).toEqual([
        '/docs/assets/reference.js',
        '/docs/assets/swagger-ui-bundle.js',
        '/docs/assets/swagger-ui.css',
      ]);
      const scripts = page.text.match(/<script\b[^>]*>/gi) ?? [];
      expect(scripts.filter((tag) => !/\ssrc=/.test(tag))).toEqual([]);
    });

    it('tells the browser to load scripts, styles and data from this origin only', async () => {
      // Act
      const page = await get('/docs');

      // Assert
      const policy = page.headers.get('content-security-policy') ?? '';
      expect(policy).toContain("default-src 'none'");
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("connect-src 'self'");
      expect(policy).not.toMatch(/https?:|\*/);
    });
  });

  describe('Routes: GET /docs/assets/*', () => {
    it.each([
      ['/docs/assets/swagger-ui-bundle.js', /^text\/javascript\b/, 'SwaggerUIBundle'],
      ['/docs/assets/reference.js', /^text\/javascript\b/, 'SwaggerUIBundle('],
      ['/docs/assets/swagger-ui.css', /^text\/css\b/, '.swagger-ui'],
    ])('answers %s with 200 and its content', async (path, type, content) => {
      // Act
      const asset = await get(path);

      // Assert
      expect(asset.status).toBe(200);
      expect(asset.type).toMatch(type);
      expect(asset.text).toContain(content);
    });

    it('starts the reference on the OpenAPI document this API serves', async () => {
      // Arrange
      const script = await get('/docs/assets/reference.js');
      const target = /new URL\('([^']+)', document\.baseURI\)/.exec(script.text)?.[1] ?? '';

      // Act
      const document = await get(new URL(target, new URL('/docs', apiUrl())).pathname);

      // Assert
      expect(target).toBe('openapi.json');
      expect(document.status).toBe(200);
      expect(JSON.parse(document.text)).toMatchObject({ openapi: '3.1.0' });
    });
  });
});
