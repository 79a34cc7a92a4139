import { z } from 'zod';
import { DEFAULT_LOCAL_JWT_SECRET } from '../../../local/auth.js';
import { localEnvSchema, readLocalEnv } from '../../../local/config.js';
import { nonEmpty, readEnv, readTableName } from '../../../shared/config.js';
import { TABLE_ENV } from '../../../shared/infra/table.js';

describe('Function: readEnv', () => {
  const schema = z.object({ TABLE_NAME: nonEmpty, RETRIES: z.coerce.number().int().default(3) });

  it('returns the parsed variables when every variable is valid', () => {
    // Arrange
    const env = { TABLE_NAME: 'payments', RETRIES: '5', UNRELATED: 'x' };

    // Act
    const parsed = readEnv(schema, env);

    // Assert
    expect(parsed).toEqual({ TABLE_NAME: 'payments', RETRIES: 5 });
  });

  it('returns the defaults for variables that are not set', () => {
    // Arrange & Act
    const parsed = readEnv(schema, { TABLE_NAME: 'payments' });

    // Assert
    expect(parsed.RETRIES).toBe(3);
  });

  it('throws an error naming the variable when a required variable is missing', () => {
    // Arrange & Act & Assert
    expect(() => readEnv(schema, {})).toThrow(/^Invalid environment: TABLE_NAME: /);
  });

  it('throws when a required variable holds only whitespace', () => {
    // Arrange & Act & Assert
    expect(() => readEnv(schema, { TABLE_NAME: '   ' })).toThrow(/TABLE_NAME/);
  });

  it('throws an error naming every malformed variable', () => {
    // Arrange
    const env = { TABLE_NAME: '', RETRIES: 'many' };

    // Act & Assert
    expect(() => readEnv(schema, env)).toThrow(/TABLE_NAME: .*; RETRIES: /);
  });

  it('reads process.env when no environment is given', () => {
    // Arrange
    const name = 'TWEEN_CONFIG_TEST_VARIABLE';
    process.env[name] = 'from-process';

    // Act
    const parsed = readEnv(z.object({ [name]: nonEmpty }));

    // Assert
    expect(parsed[name]).toBe('from-process');
    delete process.env[name];
  });
});

describe('Function: readTableName', () => {
  it('returns the table name from the variable CDK and the local stack set', () => {
    // Arrange & Act & Assert
    expect(TABLE_ENV).toBe('TABLE_NAME');
    expect(readTableName({ [TABLE_ENV]: 'tween-payments' })).toBe('tween-payments');
  });

  it.each([{}, { [TABLE_ENV]: '  ' }])('throws naming TABLE_NAME when it is missing or blank (%j)', (env) => {
    // Arrange & Act & Assert
    expect(() => readTableName(env)).toThrow(/^Invalid environment: TABLE_NAME: /);
  });
});

describe('Function: readLocalEnv', () => {
  it('returns the documented defaults when nothing is set', () => {
    // Arrange & Act
    const env = readLocalEnv({});

    // Assert
    expect(env).toEqual({
      PORT: 3000,
      LOCAL_DATA_DIR: '.local',
      LOCAL_JWT_SECRET: DEFAULT_LOCAL_JWT_SECRET,
      STRIPE_SECRET_KEY: expect.stringMatching(/^sk_test_/),
      STRIPE_WEBHOOK_SECRET: expect.stringMatching(/^whsec_/),
      PAYPAL_CLIENT_ID: expect.any(String),
      PAYPAL_CLIENT_SECRET: expect.any(String),
      PAYPAL_WEBHOOK_ID: expect.any(String),
      MATRIX_ACCESS_TOKEN: expect.any(String),
      CURSOR_SECRET: expect.any(String),
      API_KEY_PEPPER: expect.any(String),
      LOCAL_SEED_APPS: '',
      MFA_THRESHOLDS: 'USD:5000',
      MFA_VELOCITY_LIMIT: 10,
      MFA_TIMEOUT_SECONDS: 300,
      USER_RATE_LIMIT_PER_MINUTE: 10,
      WEBHOOK_RETRY_SCHEDULE: '2,5,10,20,40,60,60',
      DUNNING_SCHEDULE: '4,4,4',
      SUBSCRIPTION_PERIOD_SECONDS: 30,
      WEBHOOK_DISABLE_AFTER_SECONDS: 432_000,
      PROVIDER_TIMEOUT_SECONDS: 3_600,
      BREAKER_FAILURE_THRESHOLD: 5,
      BREAKER_COOL_DOWN_SECONDS: 30,
      PROVIDER_RETRY_ATTEMPTS: 3,
      P2P_ACCEPTANCE_WINDOW_SECONDS: 86_400,
      GIFT_MIN_LIFETIME_SECONDS: 60,
      CAPTURE_WINDOW_SECONDS: 604_800,
      ENABLED_CURRENCIES: 'USD,EUR,GBP,JPY,KWD',
      FEE_TIERS: '0:820,1000000:790,10000000:750',
      PROCESSING_FEE: '290:30',
      SETTLEMENT_DELAY_SECONDS: 172_800,
      PAYOUT_WAIT_SECONDS: 86_400,
      MAIL_FROM: 'no-reply@tween.example',
      EMAIL_CODE_TTL_SECONDS: 900,
      MERCHANT_REVIEW_WINDOW_SECONDS: 1_209_600,
      RECONCILE_PERIOD_SECONDS: 300,
      SETTLEMENT_PERIOD_SECONDS: 5,
      RECONCILE_AFTER_SECONDS: 600,
      SQS_RETRY_DELAY_SECONDS: 1,
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
  });

  it('returns a default JWT secret long enough for its own rule', () => {
    // Arrange & Act & Assert
    expect(DEFAULT_LOCAL_JWT_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it('returns PORT as a number when it is given as a string', () => {
    // Arrange & Act
    const env = readLocalEnv({ PORT: '8080' });

    // Assert
    expect(env.PORT).toBe(8080);
  });

  it.each(['not-a-port', '70000', '-1', '3000.5'])('throws naming PORT when PORT is %s', (port) => {
    // Arrange & Act & Assert
    expect(() => readLocalEnv({ PORT: port })).toThrow(/PORT/);
  });

  it('returns P2P_ACCEPTANCE_WINDOW_SECONDS and SQS_RETRY_DELAY_SECONDS as numbers', () => {
    // Arrange & Act
    const env = readLocalEnv({ P2P_ACCEPTANCE_WINDOW_SECONDS: '60', SQS_RETRY_DELAY_SECONDS: '2' });

    // Assert
    expect(env.P2P_ACCEPTANCE_WINDOW_SECONDS).toBe(60);
    expect(env.SQS_RETRY_DELAY_SECONDS).toBe(2);
  });

  it('returns FEE_TIERS, PROCESSING_FEE and SETTLEMENT_DELAY_SECONDS as given, for the stack to hand on', () => {
    // Arrange & Act
    const env = readLocalEnv({ FEE_TIERS: '0:500', PROCESSING_FEE: '0:0', SETTLEMENT_DELAY_SECONDS: '0' });

    // Assert
    expect(env).toMatchObject({ FEE_TIERS: '0:500', PROCESSING_FEE: '0:0', SETTLEMENT_DELAY_SECONDS: 0 });
  });

  it.each([
    ['FEE_TIERS', '100:820'],
    ['FEE_TIERS', '0:820,0:790'],
    ['PROCESSING_FEE', '2.9%'],
    ['SETTLEMENT_DELAY_SECONDS', '-1'],
  ])('throws naming %s when it is %s, before any function reads it', (name, value) => {
    // Arrange & Act & Assert
    expect(() => readLocalEnv({ [name]: value })).toThrow(new RegExp(name));
  });

  it('throws naming SQS_RETRY_DELAY_SECONDS when it is 0, which the local queue engine would read as 30 s', () => {
    // Arrange & Act & Assert
    expect(() => readLocalEnv({ SQS_RETRY_DELAY_SECONDS: '0' })).toThrow(/SQS_RETRY_DELAY_SECONDS/);
  });

  it('throws naming LOCAL_JWT_SECRET when the secret is shorter than 32 characters', () => {
    // Arrange
    const env = { LOCAL_JWT_SECRET: 'x'.repeat(31) };

    // Act & Assert
    expect(() => readLocalEnv(env)).toThrow(/LOCAL_JWT_SECRET: use at least 32 characters/);
  });

  it('returns a JWT secret of exactly 32 characters', () => {
    // Arrange
    const secret = 'x'.repeat(32);

    // Act
    const env = readLocalEnv({ LOCAL_JWT_SECRET: secret });

    // Assert
    expect(env.LOCAL_JWT_SECRET).toBe(secret);
  });

  it.each(['sk_live_x', 'rk_test_0123456789', 'sk_test'])(
    'throws naming STRIPE_SECRET_KEY when the key is %s',
    (key) => {
      // Arrange & Act & Assert
      expect(() => readLocalEnv({ STRIPE_SECRET_KEY: key })).toThrow(/STRIPE_SECRET_KEY/);
    },
  );

  it('returns a real Stripe test-mode key unchanged', () => {
    // Arrange & Act
    const env = readLocalEnv({ STRIPE_SECRET_KEY: 'sk_test_51abcdef' });

    // Assert
    expect(env.STRIPE_SECRET_KEY).toBe('sk_test_51abcdef');
  });

  it('throws naming STRIPE_WEBHOOK_SECRET when it does not start with whsec_', () => {
    // Arrange & Act & Assert
    expect(() => readLocalEnv({ STRIPE_WEBHOOK_SECRET: 'secret' })).toThrow(/STRIPE_WEBHOOK_SECRET/);
  });

  it('throws naming POWERTOOLS_LOG_LEVEL when the level is not one of the enum values', () => {
    // Arrange & Act & Assert
    expect(() => readLocalEnv({ POWERTOOLS_LOG_LEVEL: 'VERBOSE' })).toThrow(/POWERTOOLS_LOG_LEVEL/);
  });

  it('throws for a lower-case log level, as the enum is case-sensitive', () => {
    // Arrange & Act & Assert
    expect(() => readLocalEnv({ POWERTOOLS_LOG_LEVEL: 'debug' })).toThrow(/POWERTOOLS_LOG_LEVEL/);
  });

  it('returns SILENT as a valid log level', () => {
    // Arrange & Act
    const env = readLocalEnv({ POWERTOOLS_LOG_LEVEL: 'SILENT' });

    // Assert
    expect(env.POWERTOOLS_LOG_LEVEL).toBe('SILENT');
  });
});

describe('Object: localEnvSchema', () => {
  it('reports every invalid variable at once', () => {
    // Arrange
    const env = { PORT: 'x', LOCAL_JWT_SECRET: 'short', STRIPE_SECRET_KEY: 'sk_live_1' };

    // Act
    const result = localEnvSchema.safeParse(env);

    // Assert
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'LOCAL_JWT_SECRET',
      'PORT',
      'STRIPE_SECRET_KEY',
    ]);
  });
});
