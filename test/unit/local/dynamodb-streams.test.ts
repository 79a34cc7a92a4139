import type { AttributeValue } from '@aws-sdk/client-dynamodb-streams';
import { toLambdaImage } from '../../../local/dynamodb-streams.js';

describe('Function: toLambdaImage', () => {
  it('keeps every attribute type as Lambda hands it over, binary as base64, nested maps and lists included', () => {
    // Arrange
    const image: Record<string, AttributeValue> = {
      PK: { S: 'OUTBOX#e1' },
      expiresAt: { N: '1893456000' },
      blob: { B: new Uint8Array([1, 2, 3]) },
      blobs: { BS: [new Uint8Array([255])] },
      flag: { BOOL: false },
      nothing: { NULL: true },
      names: { SS: ['a', 'b'] },
      numbers: { NS: ['1', '2'] },
      detail: { M: { amount: { N: '250' }, tags: { L: [{ S: 'x' }, { M: { y: { BOOL: true } } }] } } },
    };

    // Act
    const converted = toLambdaImage(image);

    // Assert
    expect(converted).toEqual({
      PK: { S: 'OUTBOX#e1' },
      expiresAt: { N: '1893456000' },
      blob: { B: 'AQID' },
      blobs: { BS: ['/w=='] },
      flag: { BOOL: false },
      nothing: { NULL: true },
      names: { SS: ['a', 'b'] },
      numbers: { NS: ['1', '2'] },
      detail: { M: { amount: { N: '250' }, tags: { L: [{ S: 'x' }, { M: { y: { BOOL: true } } }] } } },
    });
  });

  it('reads an empty value as the empty map DynamoDB Local wrote it for', () => {
    // Arrange: DynamoDB Local streams `{"M":{}}` as `{}`, at any depth
    const image = {
      metadata: {},
      detail: { M: { inner: {}, list: { L: [{}] } } },
    } as unknown as Record<string, AttributeValue>;

    // Act
    const converted = toLambdaImage(image);

    // Assert
    expect(converted).toEqual({
      metadata: { M: {} },
      detail: { M: { inner: { M: {} }, list: { L: [{ M: {} }] } } },
    });
  });
});
