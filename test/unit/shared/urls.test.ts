import { absoluteUrl, apiBaseUrl } from '../../../shared/http/urls.js';
import { httpEvent } from '../../support/events.js';

function eventAt(options: {
  domainName?: string;
  stage?: string;
  rawPath?: string;
  headers?: Record<string, string>;
}) {
  const event = httpEvent({
    routeKey: 'GET /api/v1/payments/{paymentId}',
    rawPath: options.rawPath ?? '/api/v1/payments/pay_1',
    headers: options.headers ?? { 'x-forwarded-proto': 'https' },
  });
  return {
    ...event,
    requestContext: {
      ...event.requestContext,
      domainName: options.domainName ?? 'abc123.execute-api.eu-west-1.amazonaws.com',
      stage: options.stage ?? '$default',
    },
  };
}

describe('Function: apiBaseUrl', () => {
  it('returns https and the domain API Gateway was reached on for the $default stage', () => {
    // Act
    const base = apiBaseUrl(eventAt({}));

    // Assert
    expect(base).toBe('https://abc123.execute-api.eu-west-1.amazonaws.com');
  });

  it('returns the stage path too when the request came through a named stage', () => {
    // Act
    const base = apiBaseUrl(eventAt({ stage: 'prod', rawPath: '/prod/api/v1/payments/pay_1' }));

    // Assert
    expect(base).toBe('https://abc123.execute-api.eu-west-1.amazonaws.com/prod');
  });

  it('returns no stage path on a custom domain, whose paths do not carry the stage', () => {
    // Act
    const base = apiBaseUrl(eventAt({ domainName: 'pay.tween.example', stage: 'prod' }));

    // Assert
    expect(base).toBe('https://pay.tween.example');
  });

  it('returns http and the host:port of the local HTTP API, which says it forwarded plain HTTP', () => {
    // Act
    const base = apiBaseUrl(
      eventAt({ domainName: '127.0.0.1:3000', headers: { 'X-Forwarded-Proto': 'http' } }),
    );

    // Assert
    expect(base).toBe('http://127.0.0.1:3000');
  });

  it('returns https when no scheme was forwarded', () => {
    // Act
    const base = apiBaseUrl(eventAt({ headers: {} }));

    // Assert
    expect(base).toMatch(/^https:\/\//);
  });
});

describe('Function: absoluteUrl', () => {
  it('returns the path under the base URL', () => {
    // Act
    const url = absoluteUrl(
      eventAt({ stage: 'prod', rawPath: '/prod/x' }),
      '/payments/v1/pay_1/mfa/challenge',
    );

    // Assert
    expect(url).toBe(
      'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/payments/v1/pay_1/mfa/challenge',
    );
    expect(new URL(url).href).toBe(url);
  });

  it('throws for something that is not an absolute path of the API', () => {
    // Act & Assert
    expect(() => absoluteUrl(eventAt({}), 'payments/v1')).toThrow('Not an API path');
  });
});
