import { toResponse } from '../../../../shared/http/pipeline.js';

describe('HTTP pipeline: binary answers', () => {
  it('sends bytes base64-encoded with isBase64Encoded, as API Gateway’s HTTP API expects', () => {
    // Arrange
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0xff, 0x00]);

    // Act
    const response = toResponse({
      status: 200,
      bytes,
      contentType: 'application/pdf',
      headers: { 'content-disposition': 'inline; filename="ACME-0001.pdf"' },
    });

    // Assert
    expect(response).toEqual({
      statusCode: 200,
      headers: {
        'content-type': 'application/pdf',
        'content-disposition': 'inline; filename="ACME-0001.pdf"',
      },
      body: Buffer.from(bytes).toString('base64'),
      isBase64Encoded: true,
    });
  });

  it('sends text as is', () => {
    // Act
    const response = toResponse({ status: 200, text: '<p>hi</p>', contentType: 'text/html' });

    // Assert
    expect(response).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'text/html' },
      body: '<p>hi</p>',
    });
  });
});
