import { existsSync } from 'node:fs';
import { LAMBDA_BUNDLING } from '../../../bench/bundles.js';
import { defaultProvider } from '../../../shared/adapters/aws/lambda-credentials.js';
import { esbuildAliasArgs, LAMBDA_ALIASES } from '../../../shared/infra/bundling.js';

describe('the Lambda bundles’ credential chain', () => {
  it('is aliased the same way by CDK and by the bench, to a module that exists', () => {
    // Assert
    expect(esbuildAliasArgs()).toMatchObject({
      '--alias:@aws-sdk/credential-provider-node': './shared/adapters/aws/lambda-credentials.ts',
    });
    expect(LAMBDA_BUNDLING.alias).toEqual(LAMBDA_ALIASES);
    for (const target of Object.values(LAMBDA_ALIASES)) expect(existsSync(target)).toBe(true);
  });

  it('reads the role credentials Lambda puts in the environment', async () => {
    // Arrange
    const saved = { ...process.env };
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    process.env.AWS_SESSION_TOKEN = 'token';
    try {
      // Act
      const credentials = await defaultProvider()();

      // Assert
      expect(credentials).toMatchObject({
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'secret',
        sessionToken: 'token',
      });
    } finally {
      process.env = saved;
    }
  });

  it('fails when the environment holds none, instead of going on down a chain Lambda never needs', async () => {
    // Arrange
    const saved = { ...process.env };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      // Act / Assert
      await expect(defaultProvider()()).rejects.toThrow();
    } finally {
      process.env = saved;
    }
  });
});
