import { CursorCodec } from '../../../shared/app/cursor.js';

const secret = 'x'.repeat(32);

describe('Class: CursorCodec', () => {
  describe('Method: decode', () => {
    it('returns the position it encoded when the cursor comes back for the same list', () => {
      // Arrange
      const codec = new CursorCodec(secret);
      const cursor = codec.encode('transactions:@a:t', '2026-01-01T00:00:00.000Z#t1#debit');

      // Act
      const position = codec.decode('transactions:@a:t', cursor);

      // Assert
      expect(position).toBe('2026-01-01T00:00:00.000Z#t1#debit');
    });

    it('refuses a cursor issued for another list', () => {
      // Arrange
      const codec = new CursorCodec(secret);
      const cursor = codec.encode('transactions:@bob:t', 'p');

      // Act & Assert
      expect(() => codec.decode('transactions:@alice:t', cursor)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_ERROR' }),
      );
    });

    it.each([
      [
        'a changed payload',
        (c: string) =>
          `${Buffer.from(JSON.stringify({ l: 'l', p: 'other' })).toString('base64url')}.${c.split('.')[1]}`,
      ],
      ['a changed signature', (c: string) => `${c.slice(0, -2)}AA`],
      ['no signature', (c: string) => c.split('.')[0] ?? ''],
      ['an extra part', (c: string) => `${c}.x`],
      ['garbage', () => '%%%'],
      ['an oversized cursor', () => 'a'.repeat(2_000)],
    ])('refuses %s', (_, tamper) => {
      // Arrange
      const codec = new CursorCodec(secret);
      const cursor = tamper(codec.encode('l', 'p'));

      // Act & Assert
      expect(() => codec.decode('l', cursor)).toThrow(expect.objectContaining({ code: 'VALIDATION_ERROR' }));
    });

    it('refuses a cursor signed with another secret', () => {
      // Arrange
      const cursor = new CursorCodec('y'.repeat(32)).encode('l', 'p');

      // Act & Assert
      expect(() => new CursorCodec(secret).decode('l', cursor)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_ERROR' }),
      );
    });
  });

  describe('Method: constructor', () => {
    it('throws when the secret is shorter than 32 characters', () => {
      // Act & Assert
      expect(() => new CursorCodec('short')).toThrow(/32/);
    });
  });
});
