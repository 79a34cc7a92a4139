/**
 * Hosted checkout in a real browser (Debian's Chromium, driven by puppeteer-core): a merchant's server
 * creates a session over HTTP, the customer opens its url, reads the merchant's name and `$30.00`, tabs
 * through the form, pays with `pm_card_visa` and lands on the merchant's success_url; the session reads
 * `complete`, its PaymentIntent succeeded, and `checkout.session.completed` reaches the merchant's webhook
 * receiver. A declined card shows the error; 3-D Secure completes through the local Stripe challenge; two
 * tabs paying at once charge once; an expired session cannot be paid; a phone renders it without sideways
 * scrolling. A screenshot (docs/checkout.png) is read back by tesseract for the amount and the name.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import type { Browser, Page } from 'puppeteer-core';
import { call } from '../support/api.js';
import { type Chromium, launchChromium } from '../support/chromium.js';
import { newShop, type Shop, withKey } from '../support/merchant-shops.js';
import { ocr } from '../support/ocr.js';
import { waitFor } from '../support/stack.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

jest.setTimeout(120_000);

type Json = Record<string, unknown>;

const MERCHANT_NAME = 'Harbor Lights Records';
const SCREENSHOT = fileURLToPath(new URL('../../docs/checkout.png', import.meta.url));

let chromium: Chromium;
let browser: Browser;
let shop: Shop;
let price: string;
let receiver: WebhookReceiver;
let merchantSite: Server;
let siteUrl: string;

beforeAll(async () => {
  chromium = await launchChromium('checkout', ['--hide-scrollbars']);
  browser = chromium.browser;
  // The merchant's own site: where success_url and cancel_url lead.
  merchantSite = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><p>${request.url}</p>`);
  });
  await new Promise<void>((resolve) => merchantSite.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(merchantSite.address() as AddressInfo).port}`;
  receiver = await WebhookReceiver.start('/checkout-hooks');
  shop = await newShop(MERCHANT_NAME);
  const endpoint = await call<Json>(
    'POST',
    '/v1/webhook_endpoints',
    withKey(shop.test, { url: receiver.url, enabled_events: ['checkout.session.completed'] }),
  );
  expect(endpoint.status).toBe(201);
  receiver.useSecret(String(endpoint.body.secret));
  const product = await call<Json>('POST', '/v1/products', withKey(shop.test, { name: 'Vinyl' }));
  const created = await call<Json>(
    'POST',
    '/v1/prices',
    withKey(shop.test, { product: product.body.id, unit_amount: 1500, currency: 'USD' }),
  );
  expect(created.status).toBe(201);
  price = String(created.body.id);
});

afterAll(async () => {
  await chromium?.close();
  await receiver?.close();
  await new Promise<void>((resolve) => merchantSite?.close(() => resolve()));
});

/** A session for two of the $15.00 price: $30.00. */
async function newSession(extra: Json = {}): Promise<{ id: string; url: string; success: string }> {
  const success = `${siteUrl}/thanks/${Math.random().toString(36).slice(2)}`;
  const answer = await call<Json>(
    'POST',
    '/v1/checkout/sessions',
    withKey(shop.test, {
      mode: 'payment',
      line_items: [{ price, quantity: 2 }],
      success_url: success,
      cancel_url: `${siteUrl}/cart`,
      ...extra,
    }),
  );
  expect(answer.status).toBe(200);
  return { id: String(answer.body.id), url: String(answer.body.url), success };
}

const session = async (id: string) =>
  (await call<Json>('GET', `/v1/checkout/sessions/${id}`, withKey(shop.test, undefined, null))).body;

async function open(url: string): Promise<{ page: Page; status: number | undefined }> {
  const page = await browser.newPage();
  const answer = await page.goto(url, { waitUntil: 'load' });
  return { page, status: answer?.status() };
}

/** Submits the page's form with `card` chosen, and waits for where it leads. */
async function pay(page: Page, card: string, email = 'buyer@example.com'): Promise<number | undefined> {
  if ((await page.$('#email')) !== null) {
    await page.$eval('#email', (input) => Reflect.set(input, 'value', ''));
    await page.type('#email', email);
  }
  await page.click(`input[name=payment_method][value=${card}]`);
  const [answer] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  return answer?.status();
}

describe('Hosted checkout in a browser', () => {
  it('shows the merchant and $30.00, tabs through the form, pays with pm_card_visa and lands on success_url', async () => {
    // Arrange
    const { id, url, success } = await newSession();
    const email = `buyer-${Date.now()}@example.com`;
    const { page, status } = await open(url);
    await page.setViewport({ width: 800, height: 900, deviceScaleFactor: 2 });

    // Act
    const text = await page.$eval('body', (body) => body.textContent ?? '');
    const lang = await page.$eval('html', (html) => html.getAttribute('lang'));
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const read = ocr(SCREENSHOT);
    const focused: string[] = [];
    for (let step = 0; step < 4; step += 1) {
      await page.keyboard.press('Tab');
      focused.push(
        await page.$eval(
          ':focus',
          (element) =>
            `${element.tagName.toLowerCase()}:${element.getAttribute('name') ?? element.textContent?.trim() ?? ''}`,
        ),
      );
    }
    // Back to the email field, typed into, then the card chosen and Pay pressed, by keyboard only.
    await page.focus('#email');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const [landed] = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    const finalUrl = page.url();
    await page.close();

    // Assert
    expect(status).toBe(200);
    expect(lang).toBe('en');
    expect(text).toContain(MERCHANT_NAME);
    expect(text).toContain('$30.00');
    expect(read).toContain(MERCHANT_NAME);
    expect(read).toContain('$30.00');
    expect(focused).toEqual([
      'input:email',
      'input:payment_method',
      'button:Pay $30.00',
      `a:Cancel and return to ${MERCHANT_NAME}`,
    ]);
    expect(landed?.status()).toBe(200);
    expect(finalUrl).toBe(success);
    const paid = await session(id);
    expect(paid).toMatchObject({
      status: 'complete',
      payment_status: 'paid',
      customer_email: email,
      customer: expect.stringMatching(/^cus_/),
    });
    const intent = await call<Json>(
      'GET',
      `/v1/payment_intents/${String(paid.payment_intent)}`,
      withKey(shop.test, undefined, null),
    );
    expect(intent.body).toMatchObject({ status: 'succeeded', amount_received: 3000, currency: 'USD' });
    const heard = await waitFor(
      async () =>
        receiver.received.find(
          (delivery) => delivery.type === 'checkout.session.completed' && delivery.objectId === id,
        ),
      'checkout.session.completed at the receiver',
    );
    expect(heard.verified).toBe(true);
    expect(heard.body).toMatchObject({ data: { object: { id, status: 'complete', amount_total: 3000 } } });
    // A receipt, as for any PaymentIntent of a customer with an email.
    await waitFor(async () => {
      const emails = await call<{ data: { to: string }[] }>(
        'GET',
        `/local/emails?to=${encodeURIComponent(email)}`,
      );
      return emails.body.data.length > 0 ? emails.body.data : undefined;
    }, 'the receipt email');
  });

  it('shows a declined card as an alert, then takes another card', async () => {
    // Arrange
    const { id, url, success } = await newSession();
    const { page } = await open(url);

    // Act
    const declined = await pay(page, 'pm_card_chargeDeclined');
    const alert = await page.$eval('[role=alert]', (element) => element.textContent);
    const open_ = (await session(id)).status;
    const retried = await pay(page, 'pm_card_visa');
    const finalUrl = page.url();
    await page.close();

    // Assert
    expect(declined).toBe(402);
    expect(alert).toContain('declined');
    expect(open_).toBe('open');
    expect(retried).toBe(200);
    expect(finalUrl).toBe(success);
    expect(await session(id)).toMatchObject({ status: 'complete' });
  });

  it('completes 3-D Secure through the local Stripe challenge, then lands on success_url', async () => {
    // Arrange
    const { id, url, success } = await newSession({ customer_email: 'secure@example.com' });
    const { page } = await open(url);

    // Act
    await pay(page, 'pm_card_authenticationRequired');
    const challenge = page.url();
    await Promise.all([page.waitForNavigation(), page.click('button[value=succeed]')]);
    const finalUrl = page.url();
    await page.close();

    // Assert
    expect(challenge).toMatch(/\/local\/stripe\/payment_intents\/pi_[A-Za-z0-9]+\/authenticate$/);
    expect(finalUrl).toBe(success);
    expect(await session(id)).toMatchObject({ status: 'complete', payment_status: 'paid' });
  });

  it('charges once when two tabs pay the same session at the same time', async () => {
    // Arrange
    const { id, url } = await newSession();
    const [first, second] = [(await open(url)).page, (await open(url)).page];
    for (const page of [first, second])
      await page.$eval('#email', (input) => Reflect.set(input, 'value', 'twice@example.com'));

    // Act: both forms sent at once (a click would wait for its tab to be in front).
    const answers = await Promise.all(
      [first, second].map(async (page) => {
        const [answer] = await Promise.all([
          page.waitForNavigation(),
          page.$eval('form', (form) => Reflect.apply(Reflect.get(form, 'requestSubmit'), form, [])),
        ]);
        return answer?.status();
      }),
    );
    await Promise.all([first.close(), second.close()]);

    // Assert
    expect(answers).toContain(200);
    const paid = await waitFor(async () => {
      const now = await session(id);
      return now.status === 'complete' ? now : undefined;
    }, 'the session complete');
    const charges = await call<{ data: Json[] }>(
      'GET',
      '/v1/balance_transactions?limit=100',
      withKey(shop.test, undefined, null),
    );
    expect(charges.body.data.filter((row) => row.source === paid.payment_intent)).toHaveLength(1);
    // No other PaymentIntent was made for the session, let alone charged.
    const intents = await call<{ data: Json[] }>(
      'GET',
      '/v1/payment_intents?limit=100',
      withKey(shop.test, undefined, null),
    );
    expect(intents.body.data.filter((made) => made.description === `Checkout ${id}`)).toHaveLength(1);
    const intent = await call<Json>(
      'GET',
      `/v1/payment_intents/${String(paid.payment_intent)}`,
      withKey(shop.test, undefined, null),
    );
    expect(intent.body).toMatchObject({ status: 'succeeded', amount_received: 3000 });
  });

  it('says an expired session has expired and cannot pay it', async () => {
    // Arrange
    const { id, url } = await newSession();
    const { page: form } = await open(url);
    const expired = await call<Json>(
      'POST',
      `/v1/checkout/sessions/${id}/expire`,
      withKey(shop.test, undefined, null),
    );

    // Act
    const posted = await pay(form, 'pm_card_visa');
    const postedText = await form.$eval('body', (body) => body.textContent ?? '');
    const { page, status } = await open(url);
    const text = await page.$eval('body', (body) => body.textContent ?? '');
    const hasForm = (await page.$('form')) !== null;
    await Promise.all([form.close(), page.close()]);

    // Assert
    expect(expired.status).toBe(200);
    expect(expired.body).toMatchObject({ status: 'expired', url: null });
    expect(posted).toBe(410);
    expect(postedText).toContain('expired');
    expect(status).toBe(410);
    expect(text).toContain('expired');
    expect(hasForm).toBe(false);
    expect(await session(id)).toMatchObject({ status: 'expired', payment_intent: null });
  });

  it('renders on a phone (375×667) without sideways scrolling', async () => {
    // Arrange
    const { url } = await newSession();
    const page = await browser.newPage();
    await page.setViewport({ width: 375, height: 667, isMobile: true, hasTouch: true });

    // Act
    const answer = await page.goto(url, { waitUntil: 'load' });
    const widths = await page.$eval('html', (html) => ({
      scroll: html.scrollWidth,
      client: html.clientWidth,
    }));
    const button = await page.$eval(
      'button[type=submit]',
      (element) => element.getBoundingClientRect().width,
    );
    await page.close();

    // Assert
    expect(answer?.status()).toBe(200);
    expect(widths.client).toBe(375);
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    expect(button).toBeGreaterThan(300);
  });
});
