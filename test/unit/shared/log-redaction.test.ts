import { jest } from '@jest/globals';
import { REDACTED, redactSecrets, redactString } from '../../../shared/observability/log-redaction.js';
import { httpEvent, lambdaContext } from '../../support/events.js';

// Powertools reads its configuration when the instances are built (at import): log at INFO, no metrics, no X-Ray.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
const { logger } = await import('../../../shared/observability/powertools.js');

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJAYWxpY2U6dHdlZW4uZXhhbXBsZSJ9.c2lnbmF0dXJl';
const SIGNATURE = `t=1795317474,v1=${'a1'.repeat(32)}`;
const TOTP_SECRET = 'Q3AGH63UR5RZWAMEENWD3IYYTJFEVHND';

const serialized = (value: unknown) => JSON.stringify(value, redactSecrets);

describe('Function: redactSecrets', () => {
  it('replaces the Authorization and Stripe-Signature headers, whatever their case', () => {
    // Arrange
    const headers = { Authorization: `Bearer ${JWT}`, 'stripe-signature': SIGNATURE, accept: '*/*' };

    // Act
    const text = serialized({ headers });

    // Assert
    expect(JSON.parse(text)).toEqual({
      headers: { Authorization: REDACTED, 'stripe-signature': REDACTED, accept: '*/*' },
    });
  });

  it("replaces PayPal's transmission signature and the PayPal client secret", () => {
    // Arrange
    const logged = {
      headers: { 'PayPal-Transmission-Sig': 'c2lnbmVk', 'paypal-transmission-id': 'tx-1' },
      secrets: { paypalClientSecret: 'paypal-client-secret-value' },
    };

    // Act
    const text = serialized(logged);

    // Assert
    expect(JSON.parse(text)).toEqual({
      headers: { 'PayPal-Transmission-Sig': REDACTED, 'paypal-transmission-id': 'tx-1' },
      secrets: { paypalClientSecret: REDACTED },
    });
  });

  it('walks into a JSON body string and replaces the PIN, the TOTP secret and a one-time code', () => {
    // Arrange
    const event = {
      body: JSON.stringify({ pin: '482913', secret: TOTP_SECRET, code: '204816', challengeId: 'ch_1' }),
    };

    // Act
    const text = serialized(event);

    // Assert
    expect(JSON.parse(text)).toEqual({
      body: { pin: REDACTED, secret: REDACTED, code: REDACTED, challengeId: 'ch_1' },
    });
  });

  it('keeps an error code, which is not a one-time password', () => {
    // Act
    const text = serialized({ error: { code: 'VALIDATION_ERROR', message: 'The request is not valid' } });

    // Assert
    expect(JSON.parse(text)).toEqual({
      error: { code: 'VALIDATION_ERROR', message: 'The request is not valid' },
    });
  });

  it('writes a body that is not JSON as its size only', () => {
    // Act
    const text = serialized({ body: 'pin=482913&code=204816' });

    // Assert
    expect(JSON.parse(text)).toEqual({ body: `${REDACTED} (22 bytes, not JSON)` });
  });

  it('keeps payment method ids, which are opaque tokens and not card data', () => {
    // Act
    const text = serialized({
      body: JSON.stringify({ paymentMethod: { type: 'card', id: 'pm_card_visa' } }),
    });

    // Assert
    expect(text).toContain('pm_card_visa');
  });
});

describe('Function: redactString', () => {
  it.each([
    ['a JWT', `token ${JWT} expired`, JWT],
    ['a bearer value', 'Bearer syt_abc.def', 'syt_abc.def'],
    ['a Stripe secret key', 'key sk_test_tween_local_0000 rejected', 'sk_test_tween_local_0000'],
    ['a Stripe restricted key', 'rk_live_51Habc', 'rk_live_51Habc'],
    ['a webhook secret', 'whsec_tween_local_0000', 'whsec_tween_local_0000'],
    ['a Stripe signature', `header ${SIGNATURE}`, `v1=${'a1'.repeat(32)}`],
    ['a PaymentIntent client secret', 'pi_H1MScF_secret_63W1ViIR', 'pi_H1MScF_secret_63W1ViIR'],
    ['an otpauth URI', `otpauth://totp/Tween:alice?secret=${TOTP_SECRET}`, TOTP_SECRET],
  ])('replaces %s inside any string', (_kind, text, secret) => {
    // Act
    const redacted = redactString(text);

    // Assert
    expect(redacted).not.toContain(secret);
    expect(redacted).toContain(REDACTED);
  });
});

describe('Object: logger', () => {
  it('writes an invocation event with its credentials redacted and its route kept', () => {
    // Arrange
    const written: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const event = httpEvent({
      routeKey: 'PUT /payments/v1/user/{userId}/mfa/pin',
      headers: { authorization: `Bearer ${JWT}` },
      body: { pin: '482913' },
    });
    logger.addContext(lambdaContext());

    // Act
    try {
      logger.logEventIfEnabled(event, true);
    } finally {
      write.mockRestore();
    }

    // Assert
    const output = written.join('');
    expect(output).toContain('PUT /payments/v1/user/{userId}/mfa/pin');
    expect(output).toContain(REDACTED);
    expect(output).not.toContain('482913');
    expect(output).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]*/);
  });
});
