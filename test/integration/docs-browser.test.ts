/**
 * GET /docs in a real browser (Debian's Chromium, driven by puppeteer-core): Swagger UI renders every
 * operation of the service's own OpenAPI document, with nothing loaded from anywhere but this stack (no CDN)
 * and no console error. Global setup installs Chromium where it is missing.
 */
import type { Browser, Page } from 'puppeteer-core';
import { apiUrl } from '../support/api.js';
import { type Chromium, launchChromium } from '../support/chromium.js';

interface OpenApi {
  tags: { name: string }[];
  paths: Record<string, Record<string, { operationId: string; tags: string[] }>>;
}

const LOCAL_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

let chromium: Chromium;
let browser: Browser;

beforeAll(async () => {
  chromium = await launchChromium('docs');
  browser = chromium.browser;
});

afterAll(async () => {
  await chromium?.close();
});

/** Opens /docs, recording every request the page makes and every console error and uncaught exception. */
async function openDocs(): Promise<{ page: Page; requested: URL[]; errors: string[] }> {
  const page = await browser.newPage();
  const requested: URL[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requested.push(new URL(request.url())));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()}: ${response.url()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${String(error)}`));
  const answer = await page.goto(new URL('/docs', apiUrl()).href, { waitUntil: 'load' });
  expect(answer?.status()).toBe(200);
  return { page, requested, errors };
}

async function ownDocument(): Promise<OpenApi> {
  const response = await fetch(new URL('/openapi.json', apiUrl()));
  return (await response.json()) as OpenApi;
}

describe('Stack: the API reference in a browser', () => {
  describe('Route: GET /docs', () => {
    it('renders every operation of the service document, loading nothing from elsewhere, without errors', async () => {
      // Arrange
      const document = await ownDocument();
      const operations = Object.values(document.paths).flatMap((byMethod) => Object.values(byMethod));

      // Act
      const { page, requested, errors } = await openDocs();
      await page.waitForSelector('#operations-payments-requestPayment', { timeout: 30_000 });
      const rendered = await page.$$eval('.opblock', (blocks) => blocks.map((block) => block.id));
      const tags = await page.$$eval('.opblock-tag-section h3', (headings) =>
        headings.map((heading) => heading.getAttribute('data-tag')),
      );
      const summary = await page.$eval(
        '#operations-payments-requestPayment .opblock-summary-description',
        (element) => element.textContent,
      );
      await page.close();

      // Assert
      expect(rendered).toHaveLength(operations.length);
      expect(rendered).toEqual(
        expect.arrayContaining(operations.map((op) => `operations-${op.tags[0]}-${op.operationId}`)),
      );
      expect(tags).toEqual(document.tags.map((tag) => tag.name));
      expect(summary).toBe('Request a mini-app payment (MFA above the threshold)');
      expect(requested.map(String)).toContain(new URL('/openapi.json', apiUrl()).href);
      const elsewhere = requested.filter(
        (url) => !['data:', 'blob:'].includes(url.protocol) && !LOCAL_HOSTS.has(url.hostname),
      );
      expect(elsewhere.map(String)).toEqual([]);
      expect(errors).toEqual([]);
    });

    it('folds a tag section and opens it again, and expands an operation to its responses', async () => {
      // Arrange
      const { page, errors } = await openDocs();
      const operation = '#operations-payments-requestPayment';
      await page.waitForSelector(operation, { timeout: 30_000 });

      // Act
      await page.click('#operations-tag-payments');
      await page.waitForSelector(operation, { hidden: true });
      await page.click('#operations-tag-payments');
      await page.waitForSelector(`${operation} .opblock-summary`);
      await page.click(`${operation} .opblock-summary`);
      await page.waitForSelector(`${operation} .responses-table`);
      const codes = await page.$$eval(`${operation} .responses-table tr.response`, (rows) =>
        rows.map((row) => row.getAttribute('data-code')),
      );
      await page.close();

      // Assert
      expect(codes).toEqual(expect.arrayContaining(['201', '402', '428']));
      expect(errors).toEqual([]);
    });
  });
});
