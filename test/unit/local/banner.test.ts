import { banner } from '../../../local/banner.js';

const options = {
  apiUrl: 'http://localhost:3000',
  endpoints: { dynamodb: 'http://127.0.0.1:41235' },
  startupMs: 8_600,
  dataDir: '.local',
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

  it('returns each local stand-in with its URL', () => {
    // Arrange & Act & Assert
    expect(banner(options)).toContain('    dynamodb       http://127.0.0.1:41235');
  });
});
