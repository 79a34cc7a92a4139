/**
 * The browsable API reference at GET /docs: Swagger UI (the registry's swagger-ui-dist) rendering
 * GET /openapi.json, served by the service itself. Nothing comes from a CDN: the page, its stylesheet and its
 * scripts are routes of this API, and the page's Content-Security-Policy lets the browser load nothing else.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The package files behind the asset routes; the docs function's `assets` (shared/infra/functions.ts). */
export const packageAssets = {
  'GET /docs/assets/swagger-ui.css': {
    file: 'swagger-ui-dist/swagger-ui.css',
    contentType: 'text/css; charset=utf-8',
  },
  'GET /docs/assets/swagger-ui-bundle.js': {
    file: 'swagger-ui-dist/swagger-ui-bundle.js',
    contentType: 'text/javascript; charset=utf-8',
  },
} as const;

/**
 * Same-origin only. Swagger UI sets inline style attributes (hence `'unsafe-inline'` for styles, never for
 * scripts) and draws icons from data: URIs.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

// Relative URLs: /docs resolves them against the API's root, wherever the API is mounted. The empty icon
// keeps the browser from asking for /favicon.ico, which is no route (a 404 and a console error).
export const referencePage = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Tween Payments API reference</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="docs/assets/swagger-ui.css">
  </head>
  <body>
    <div id="reference"></div>
    <script src="docs/assets/swagger-ui-bundle.js"></script>
    <script src="docs/assets/reference.js"></script>
  </body>
</html>
`;

// A script of its own rather than inline, so that the policy allows no inline script. No validator badge:
// Swagger UI would send the document to validator.swagger.io.
export const referenceScript = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: new URL('openapi.json', document.baseURI).href,
    dom_id: '#reference',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

const resolvePackageFile = createRequire(import.meta.url).resolve;

/** A package file's text: from node_modules here, from the copy in the bundle's node_modules/ on Lambda. */
export function readPackageFile(file: string): string {
  return readFileSync(resolvePackageFile(file), 'utf8');
}
