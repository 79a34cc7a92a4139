/**
 * JSON narrowing (shared/json.ts), the one copy adapters, the HTTP layer, the local stack and the benchmarks
 * use: only a JSON object passes, never null, an array or a scalar; unparseable text is undefined, not a throw.
 */
import { isRecord, parseJsonRecord, recordOf, stringOf } from '../../../shared/json.js';

const NOT_OBJECTS: readonly unknown[] = [null, undefined, [], [{ a: 1 }], 'text', '', 0, 1.5, true, false];

describe('Module: json', () => {
  describe('Function: isRecord', () => {
    it.each([{}, { a: 1 }, { nested: { b: [1] } }, Object.create(null)])('accepts the object %j', (value) => {
      expect(isRecord(value)).toBe(true);
    });

    it.each(NOT_OBJECTS)('refuses %j', (value) => {
      expect(isRecord(value)).toBe(false);
    });
  });

  describe('Function: recordOf', () => {
    it('returns the same object when the value is one', () => {
      // Arrange
      const value = { id: 'evt_1' };

      // Act & Assert
      expect(recordOf(value)).toBe(value);
    });

    it.each(NOT_OBJECTS)('returns undefined for %j', (value) => {
      expect(recordOf(value)).toBeUndefined();
    });
  });

  describe('Function: parseJsonRecord', () => {
    it('returns the object a JSON object text holds', () => {
      expect(parseJsonRecord('{"event_id":"$1","n":[1,2]}')).toEqual({ event_id: '$1', n: [1, 2] });
    });

    it.each(['[1,2]', 'null', '"text"', '42', 'true'])('returns undefined for the JSON value %s', (text) => {
      expect(parseJsonRecord(text)).toBeUndefined();
    });

    it.each(['', '{', 'not json', '{"a":1}}'])(
      'returns undefined, without throwing, for the text %j',
      (text) => {
        expect(parseJsonRecord(text)).toBeUndefined();
      },
    );
  });

  describe('Function: stringOf', () => {
    it.each(['', 'text'])('passes the string %j', (value) => {
      expect(stringOf(value)).toBe(value);
    });

    it.each([null, undefined, 0, true, {}, ['a']])('refuses %j', (value) => {
      expect(stringOf(value)).toBeUndefined();
    });
  });
});
