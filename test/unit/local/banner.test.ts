import { banner } from '../../../local/banner.js';

const options = {
  apiUrl: 'http://localhost:3000',
  endpoints: { dynamodb: 'http://127.0.0.1:41235' },
  startupMs: 8_600,
  dataDir: '.local',
  demo: {
    merchantId: 'mch_demo',
    owner: '@demo-merchant:tween.example',
    ownerToken: 'eyJ.owner.token',
    appId: 'app_demo',
    testKey: 'sk_test_demo_key',
  },
};

describe('Function: banner', () => {
  it('returns the API, its browsable reference and the OpenAPI document, each under the API URL', () => {
    // Arrange & Act
    const text = banner(options);

    // Assert
    expect(text).toContain('  API             http://localhost:3000\n');
    expect(text).toContain('  API reference   http://localhost:3000/docs\n');
    expect(text).toContain('  OpenAPI         http://localhost:3000/openapi.json\n');
  });

  it('returns where the data lives, or that it is kept in memory', () => {
    // Arrange & Act
    const onDisk = banner(options);
    const inMemory = banner({ ...options, dataDir: undefined });

    // Assert
    expect(onDisk).toContain('(ready in 8.6 s, data in .local/)');
    expect(inMemory).toContain('(ready in 8.6 s, in memory)');
  });

  it("returns the demo merchant's owner token and test key, with a merchant API call to try", () => {
    // Arrange & Act
    const text = banner(options);

    // Assert
    expect(text).toContain('Owner token:    eyJ.owner.token');
    expect(text).toContain('Test key:       sk_test_demo_key');
    expect(text).toContain('curl -H "Authorization: Bearer sk_test_demo_key" http://localhost:3000/v1/apps');
  });

  it('returns each local stand-in with its URL', () => {
    // Arrange & Act & Assert
    expect(banner(options)).toContain('    dynamodb       http://127.0.0.1:41235');
  });
});
