/**
 * The PayPal adapter against a fake fetch (no network): what it sends (token, PayPal-Request-Id, decimal
 * amounts), how it reads orders, refunds and events, and which domain error each PayPal answer becomes.
 */
import { fromPayPalValue, toPayPalValue } from '../../../shared/adapters/paypal/amounts.js';
import { PayPalPaymentProvider } from '../../../shared/adapters/paypal/paypal-provider.js';
import {
  ExpiredCardError,
  PaymentDeclinedError,
  ProcessorError,
  ProviderStateConflictError,
  WebhookSignatureError,
} from '../../../shared/domain/provider-errors.js';

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

type Answer = { status: number; body: unknown } | Error;

const NOW = Date.parse('2026-03-01T12:00:00.000Z');

function harness(answers: Record<string, Answer | Answer[]>) {
  const sent: Sent[] = [];
  const queues = new Map(
    Object.entries(answers).map(([key, value]) => [key, Array.isArray(value) ? [...value] : [value]]),
  );
  const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>));
    const body =
      typeof init?.body === 'string' && init.body.startsWith('{') ? JSON.parse(init.body) : init?.body;
    sent.push({ method, path: url.pathname, headers, body });
    const key = `${method} ${url.pathname}`;
    const queue = queues.get(key);
    const answer = queue !== undefined && queue.length > 1 ? queue.shift() : queue?.[0];
    if (answer === undefined) return new Response('{}', { status: 404 });
    if (answer instanceof Error) throw answer;
    return new Response(JSON.stringify(answer.body), { status: answer.status });
  };
  const provider = new PayPalPaymentProvider({
    clientId: 'client',
    clientSecret: 'secret',
    webhookId: 'WH-1',
    apiBase: 'http://paypal.test',
    fetch: fakeFetch,
    now: () => NOW,
  });
  return { provider, sent };
}

const TOKEN: Answer = {
  status: 200,
  body: { access_token: 'A21-token', token_type: 'Bearer', expires_in: 32400 },
};

function order(status: string, extra: Record<string, unknown> = {}, unit: Record<string, unknown> = {}) {
  return {
    id: 'ORDER-1',
    status,
    purchase_units: [
      {
        reference_id: 'default',
        amount: { currency_code: 'USD', value: '10.50' },
        custom_id: 'topupId=tu_1&walletId=tw_1',
        ...unit,
      },
    ],
    links: [
      { rel: 'self', href: 'http://paypal.test/v2/checkout/orders/ORDER-1' },
      { rel: 'payer-action', href: 'http://paypal.test/checkoutnow?token=ORDER-1' },
    ],
    ...extra,
  };
}

function captured(status = 'COMPLETED') {
  return order(
    'COMPLETED',
    {},
    { payments: { captures: [{ id: 'CAP-1', status, amount: { currency_code: 'USD', value: '10.50' } }] } },
  );
}

const charge = {
  idempotencyKey: 'tu_1',
  amount: 1050,
  currency: 'USD',
  paymentMethodId: 'paypal',
  description: 'Tween wallet top-up',
  metadata: { topupId: 'tu_1', walletId: 'tw_1' },
  capture: 'automatic' as const,
};

describe('Function: toPayPalValue / fromPayPalValue', () => {
  it.each([
    [1050, 'USD', '10.50'],
    [5, 'USD', '0.05'],
    [1050, 'JPY', '1050'],
    [1050, 'KWD', '1.050'],
  ])('writes %i %s as %s and reads it back', (amount, currency, value) => {
    expect(toPayPalValue(amount, currency)).toBe(value);
    expect(fromPayPalValue(value, currency)).toBe(amount);
  });

  it.each([
    ['10.505', 'USD'],
    ['10.5', 'JPY'],
    ['-1.00', 'USD'],
    ['ten', 'USD'],
  ])('refuses %s %s as an unreadable answer', (value, currency) => {
    expect(() => fromPayPalValue(value, currency)).toThrow(ProcessorError);
  });
});

describe('Class: PayPalPaymentProvider', () => {
  describe('Method: createPayment', () => {
    it('creates a CAPTURE order with our key as PayPal-Request-Id and answers requires_action with the approve link', async () => {
      // Arrange
      const { provider, sent } = harness({
        'POST /v1/oauth2/token': TOKEN,
        'POST /v2/checkout/orders': { status: 201, body: order('PAYER_ACTION_REQUIRED') },
      });

      // Act
      const payment = await provider.createPayment(charge);

      // Assert
      expect(payment).toEqual({
        provider: 'paypal',
        id: 'ORDER-1',
        status: 'requires_action',
        amount: 1050,
        amountReceived: 0,
        currency: 'USD',
        nextActionUrl: 'http://paypal.test/checkoutnow?token=ORDER-1',
        metadata: { topupId: 'tu_1', walletId: 'tw_1' },
      });
      const create = sent[1];
      expect(create?.headers).toMatchObject({
        authorization: 'Bearer A21-token',
        'paypal-request-id': 'tu_1',
      });
      expect(create?.body).toMatchObject({
        intent: 'CAPTURE',
        purchase_units: [
          { amount: { currency_code: 'USD', value: '10.50' }, custom_id: 'topupId=tu_1&walletId=tw_1' },
        ],
      });
      expect(sent[0]?.headers.authorization).toBe(`Basic ${Buffer.from('client:secret').toString('base64')}`);
    });

    it('asks for a token once and reuses it until it expires', async () => {
      // Arrange
      const { provider, sent } = harness({
        'POST /v1/oauth2/token': TOKEN,
        'GET /v2/checkout/orders/ORDER-1': { status: 200, body: order('APPROVED') },
      });

      // Act
      await provider.retrievePayment('ORDER-1');
      await provider.retrievePayment('ORDER-1');

      // Assert
      expect(sent.filter((request) => request.path === '/v1/oauth2/token')).toHaveLength(1);
    });

    it('renews a token PayPal refuses and sends the call again once', async () => {
      // Arrange
      const { provider, sent } = harness({
        'POST /v1/oauth2/token': TOKEN,
        'GET /v2/checkout/orders/ORDER-1': [
          { status: 401, body: { name: 'AUTHENTICATION_FAILURE' } },
          { status: 200, body: order('APPROVED') },
        ],
      });

      // Act
      const payment = await provider.retrievePayment('ORDER-1');

      // Assert
      expect(payment.status).toBe('requires_confirmation');
      expect(sent.filter((request) => request.path === '/v1/oauth2/token')).toHaveLength(2);
    });
  });

  describe('Method: retrievePayment', () => {
    it.each([
      ['CREATED', order('CREATED'), 'requires_action'],
      ['APPROVED', order('APPROVED'), 'requires_confirmation'],
      ['VOIDED', order('VOIDED'), 'canceled'],
      ['COMPLETED with a completed capture', captured(), 'succeeded'],
      ['COMPLETED with a pending capture', captured('PENDING'), 'processing'],
      ['COMPLETED with a declined capture', captured('DECLINED'), 'requires_payment_method'],
    ])('reads an order %s as %s', async (_case, body, status) => {
      // Arrange
      const { provider } = harness({
        'POST /v1/oauth2/token': TOKEN,
        'GET /v2/checkout/orders/ORDER-1': { status: 200, body },
      });

      // Act & Assert
      await expect(provider.retrievePayment('ORDER-1')).resolves.toMatchObject({ status });
    });

    it('counts the completed capture as received', async () => {
      const { provider } = harness({
        'POST /v1/oauth2/token': TOKEN,
        'GET /v2/checkout/orders/ORDER-1': { status: 200, body: captured() },
      });

      await expect(provider.retrievePayment('ORDER-1')).resolves.toMatchObject({
        amountReceived: 1050,
        status: 'succeeded',
      });
    });
  });

  describe('Method: confirmPayment', () => {
    it('captures the approved order with our key as PayPal-Request-Id', async () => {
      // Arrange
      const { provider, sent } = harness({
        'POST /v1/oauth2/token': TOKEN,
        'POST /v2/checkout/orders/ORDER-1/capture': { status: 201, body: captured() },
      });

      // Act
      const payment = await provider.confirmPayment('ORDER-1', 'tu_1:capture');

      // Assert
      expect(payment.status).toBe('succeeded');
      expect(sent[1]?.headers['paypal-request-id']).toBe('tu_1:capture');
    });
  });

  describe('Method: refund', () => {
    it("refunds the order's capture in part, in PayPal's decimals", async () => {
      // Arrange
      const { provider, sent } = harness({
        'POST /v1/oauth2/token': TOKEN,
        'GET /v2/checkout/orders/ORDER-1': { status: 200, body: captured() },
        'POST /v2/payments/captures/CAP-1/refund': {
          status: 201,
          body: { id: 'REF-1', status: 'COMPLETED', amount: { currency_code: 'USD', value: '5.00' } },
        },
      });

      // Act
      const refund = await provider.refund({ paymentId: 'ORDER-1', idempotencyKey: 're_1', amount: 500 });

      // Assert
      expect(refund).toEqual({
        provider: 'paypal',
        id: 'REF-1',
        paymentId: 'ORDER-1',
        amount: 500,
        currency: 'USD',
        status: 'succeeded',
      });
      expect(sent[2]).toMatchObject({
        headers: { 'paypal-request-id': 're_1' },
        body: { amount: { currency_code: 'USD', value: '5.00' } },
      });
    });
  });

  describe('Method: retrieveRefund', () => {
    it.each([
      ['PENDING', 'pending'],
      ['COMPLETED', 'succeeded'],
      ['FAILED', 'failed'],
      ['CANCELLED', 'canceled'],
    ] as const)('reads a refund PayPal holds as %s as %s', async (paypalStatus, status) => {
      // Arrange
      const { provider, sent } = harness({
        'POST /v1/oauth2/token': TOKEN,
        'GET /v2/payments/refunds/REF-1': {
          status: 200,
          body: { id: 'REF-1', status: paypalStatus, amount: { currency_code: 'USD', value: '5.00' } },
        },
      });

      // Act
      const refund = await provider.retrieveRefund('ORDER-1', 'REF-1');

      // Assert
      expect(refund).toEqual({
        provider: 'paypal',
        id: 'REF-1',
        paymentId: 'ORDER-1',
        amount: 500,
        currency: 'USD',
        status,
      });
      expect(sent.at(-1)).toMatchObject({ method: 'GET' });
    });
  });

  describe('Error mapping', () => {
    const unprocessable = (issue: string): Answer => ({
      status: 422,
      body: { name: 'UNPROCESSABLE_ENTITY', details: [{ issue }] },
    });

    it.each([
      ['INSTRUMENT_DECLINED', PaymentDeclinedError],
      ['TRANSACTION_REFUSED', PaymentDeclinedError],
      ['CARD_EXPIRED', ExpiredCardError],
      ['ORDER_NOT_APPROVED', ProviderStateConflictError],
      ['ORDER_ALREADY_CAPTURED', ProviderStateConflictError],
    ])('maps a 422 %s to %p', async (issue, type) => {
      const { provider } = harness({
        'POST /v1/oauth2/token': TOKEN,
        'POST /v2/checkout/orders/ORDER-1/capture': unprocessable(issue),
      });

      await expect(provider.confirmPayment('ORDER-1', 'k')).rejects.toBeInstanceOf(type);
    });

    it('tells the payer only a generic decline', async () => {
      const { provider } = harness({
        'POST /v1/oauth2/token': TOKEN,
        'POST /v2/checkout/orders/ORDER-1/capture': unprocessable('INSTRUMENT_DECLINED'),
      });

      await expect(provider.confirmPayment('ORDER-1', 'k')).rejects.toMatchObject({
        code: 'PAYMENT_DECLINED',
        declineCode: 'generic_decline',
        providerDeclineCode: 'instrument_declined',
      });
    });

    it.each([
      ['a 503', true, { status: 503, body: { name: 'SERVICE_UNAVAILABLE' } }],
      ['a 500', true, { status: 500, body: { name: 'INTERNAL_SERVER_ERROR' } }],
      ['a network failure', true, new TypeError('fetch failed')],
      ['a 429', false, { status: 429, body: { name: 'RATE_LIMIT_REACHED' } }],
      ['a 404', false, { status: 404, body: { name: 'RESOURCE_NOT_FOUND' } }],
    ])('maps %s to a ProcessorError (retryable: %s)', async (_case, retryable, answer) => {
      const { provider } = harness({
        'POST /v1/oauth2/token': TOKEN,
        'GET /v2/checkout/orders/ORDER-1': answer as Answer,
      });

      await expect(provider.retrievePayment('ORDER-1')).rejects.toMatchObject({
        name: 'ProcessorError',
        code: 'PROCESSOR_ERROR',
        retryable,
      });
    });
  });

  describe('Method: verifyWebhook', () => {
    const event = {
      id: 'WH-EVT-1',
      event_type: 'PAYMENT.CAPTURE.COMPLETED',
      resource_type: 'capture',
      create_time: '2026-03-01T11:59:58Z',
      resource: {
        id: 'CAP-1',
        status: 'COMPLETED',
        supplementary_data: { related_ids: { order_id: 'ORDER-1' } },
      },
    };
    const body = JSON.stringify(event);
    const headers = {
      'paypal-transmission-id': 'tx-1',
      'paypal-transmission-time': '2026-03-01T11:59:59Z',
      'paypal-transmission-sig': 'c2ln',
      'paypal-cert-url': 'http://paypal.test/v1/notifications/certs/CERT-1',
      'paypal-auth-algo': 'SHA256withRSA',
    };
    const verified = (status: string): Answer => ({ status: 200, body: { verification_status: status } });

    it('asks PayPal to verify the transmission for our webhook id and returns the event grouped by its order', async () => {
      // Arrange
      const { provider, sent } = harness({
        'POST /v1/oauth2/token': TOKEN,
        'POST /v1/notifications/verify-webhook-signature': verified('SUCCESS'),
      });

      // Act
      const parsed = await provider.verifyWebhook(body, headers);

      // Assert
      expect(parsed).toEqual({
        provider: 'paypal',
        id: 'WH-EVT-1',
        type: 'PAYMENT.CAPTURE.COMPLETED',
        objectId: 'ORDER-1',
        paymentId: 'ORDER-1',
        createdAt: '2026-03-01T11:59:58.000Z',
        payload: event,
      });
      expect(sent[1]?.body).toEqual({
        auth_algo: 'SHA256withRSA',
        cert_url: 'http://paypal.test/v1/notifications/certs/CERT-1',
        transmission_id: 'tx-1',
        transmission_sig: 'c2ln',
        transmission_time: '2026-03-01T11:59:59Z',
        webhook_id: 'WH-1',
        webhook_event: event,
      });
    });

    it.each([
      ['PayPal says FAILURE', { ...headers }, verified('FAILURE')],
      [
        'PayPal refuses the verification request',
        { ...headers },
        { status: 400, body: { name: 'VALIDATION_ERROR' } },
      ],
      ['a header is missing', { ...headers, 'paypal-transmission-sig': undefined }, verified('SUCCESS')],
      [
        'it was sent 10 minutes ago',
        { ...headers, 'paypal-transmission-time': '2026-03-01T11:50:00Z' },
        verified('SUCCESS'),
      ],
      [
        'it is dated 10 minutes in the future',
        { ...headers, 'paypal-transmission-time': '2026-03-01T12:10:00Z' },
        verified('SUCCESS'),
      ],
    ])('throws WebhookSignatureError when %s', async (_case, sentHeaders, answer) => {
      const { provider } = harness({
        'POST /v1/oauth2/token': TOKEN,
        'POST /v1/notifications/verify-webhook-signature': answer as Answer,
      });

      await expect(provider.verifyWebhook(body, sentHeaders)).rejects.toBeInstanceOf(WebhookSignatureError);
    });

    it('throws a retryable ProcessorError when PayPal cannot be reached, so PayPal delivers again', async () => {
      const { provider } = harness({
        'POST /v1/oauth2/token': TOKEN,
        'POST /v1/notifications/verify-webhook-signature': new TypeError('fetch failed'),
      });

      await expect(provider.verifyWebhook(body, headers)).rejects.toMatchObject({
        name: 'ProcessorError',
        retryable: true,
      });
    });
  });
});
