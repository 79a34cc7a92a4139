import { loadAppSecrets } from '../../../shared/adapters/aws/app-secrets.js';
import { webhookVerifier } from '../../../shared/composition/providers.js';
import { ValidationError } from '../../../shared/domain/errors.js';

const STRIPE_AND_CURSOR = {
  STRIPE_SECRET_KEY: 'sk_test_unit',
  STRIPE_WEBHOOK_SECRET: 'whsec_unit',
  CURSOR_SECRET: 'c'.repeat(32),
};
const PAYPAL = {
  PAYPAL_CLIENT_ID: 'client-id',
  PAYPAL_CLIENT_SECRET: 'paypal-client-secret-value',
  PAYPAL_WEBHOOK_ID: 'WH-1',
};

describe('Function: loadAppSecrets', () => {
  it('returns the PayPal credentials when all three are set, on the live API unless one is named', async () => {
    // Act
    const secrets = await loadAppSecrets({ ...STRIPE_AND_CURSOR, ...PAYPAL });

    // Assert
    expect(secrets.paypal).toEqual({
      clientId: 'client-id',
      clientSecret: 'paypal-client-secret-value',
      webhookId: 'WH-1',
    });
  });

  it('returns no PayPal credentials when none is set: the deployment takes no PayPal payments', async () => {
    // Act
    const secrets = await loadAppSecrets(STRIPE_AND_CURSOR);

    // Assert
    expect(secrets.paypal).toBeUndefined();
    expect(secrets.stripeSecretKey).toBe('sk_test_unit');
  });

  it('rejects a partial PayPal configuration naming the fields, never the values', async () => {
    // Act
    const loading = loadAppSecrets({
      ...STRIPE_AND_CURSOR,
      PAYPAL_CLIENT_ID: 'client-id',
      PAYPAL_CLIENT_SECRET: 'paypal-client-secret-value',
    });

    // Assert
    await expect(loading).rejects.toThrow(/paypalClientId, paypalClientSecret, paypalWebhookId/);
    await expect(loading).rejects.not.toThrow(/paypal-client-secret-value/);
  });
});

describe('Function: webhookVerifier', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('refuses PayPal with a 400 when the deployment has no PayPal credentials', async () => {
    // Arrange
    process.env = { ...STRIPE_AND_CURSOR };

    // Act
    const verifier = webhookVerifier('paypal');

    // Assert
    await expect(verifier).rejects.toBeInstanceOf(ValidationError);
    await expect(verifier).rejects.toThrow('PayPal is not enabled on this deployment');
  });

  it('builds the PayPal verifier once the credentials are there, after an earlier refusal', async () => {
    // Arrange
    process.env = { ...STRIPE_AND_CURSOR };
    await expect(webhookVerifier('paypal')).rejects.toBeInstanceOf(ValidationError);
    process.env = { ...STRIPE_AND_CURSOR, ...PAYPAL };

    // Act
    const verifier = await webhookVerifier('paypal');

    // Assert
    expect(verifier.name).toBe('paypal');
  });
});
