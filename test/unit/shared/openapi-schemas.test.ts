import * as z from 'zod/mini';
import { SchemaComponents } from '../../../shared/http/openapi-schemas.js';

describe('Class: SchemaComponents', () => {
  describe('Method: schemaOf', () => {
    it('returns a literal as a one-value enum and a union of primitives as anyOf', () => {
      // Arrange
      const schema = z.object({ kind: z.literal('event'), value: z.union([z.string(), z.number()]) });

      // Act
      const json = new SchemaComponents().schemaOf(schema);

      // Assert
      expect(json).toStrictEqual({
        type: 'object',
        properties: {
          kind: { type: 'string', enum: ['event'] },
          value: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        },
        required: ['kind', 'value'],
      });
    });

    it('returns only the bounds and patterns the checks state, not those an integer or a date-time imply', () => {
      // Arrange
      const schema = z.object({
        count: z.number().check(z.int(), z.positive(), z.maximum(10)),
        total: z.number().check(z.int()),
        at: z.iso.datetime(),
        code: z.string().check(z.regex(/^[A-Z]{3}$/)),
      });

      // Act
      const json = new SchemaComponents().schemaOf(schema);

      // Assert
      expect(json.properties).toStrictEqual({
        count: { type: 'integer', exclusiveMinimum: 0, maximum: 10 },
        total: { type: 'integer' },
        at: { type: 'string', format: 'date-time' },
        code: { type: 'string', pattern: '^[A-Z]{3}$' },
      });
    });

    it('returns metadata after the structure, a nullable as a type list, and a record without propertyNames', () => {
      // Arrange
      const schema = z.object({
        note: z
          .optional(z.string().check(z.maxLength(5)))
          .register(z.globalRegistry, { description: 'A note' }),
        reply: z.nullable(z.object({ text: z.string() })),
        tags: z.record(z.string(), z.string()),
      });

      // Act
      const json = new SchemaComponents().schemaOf(schema);

      // Assert
      expect(JSON.stringify(json.properties)).toBe(
        JSON.stringify({
          note: { type: 'string', maxLength: 5, description: 'A note' },
          reply: { type: ['object', 'null'], properties: { text: { type: 'string' } }, required: ['text'] },
          tags: { type: 'object', additionalProperties: { type: 'string' } },
        }),
      );
    });

    it('returns a $ref for a schema with an id and lists it, with what it refers to, in first-use order', () => {
      // Arrange
      const Leaf = z.object({ name: z.string() }).register(z.globalRegistry, { id: 'TestLeaf' });
      const Tree = z.object({ leaves: z.array(Leaf) }).register(z.globalRegistry, { id: 'TestTree' });
      const components = new SchemaComponents();

      // Act
      const json = components.schemaOf(Tree);

      // Assert
      expect(json).toStrictEqual({ $ref: '#/components/schemas/TestTree' });
      expect(Object.keys(components.schemas())).toEqual(['TestTree', 'TestLeaf']);
      expect(components.schemas().TestTree).toStrictEqual({
        type: 'object',
        properties: { leaves: { type: 'array', items: { $ref: '#/components/schemas/TestLeaf' } } },
        required: ['leaves'],
      });
    });

    it('throws naming the id when two different schemas are registered under one id', () => {
      // Arrange
      const First = z.object({ userId: z.string() }).register(z.globalRegistry, { id: 'TestTwin' });
      const Second = z.object({ livemode: z.boolean() }).register(z.globalRegistry, { id: 'TestTwin' });
      const components = new SchemaComponents();
      components.schemaOf(First);

      // Act
      const convert = () => components.schemaOf(Second);

      // Assert
      expect(convert).toThrow(/TestTwin/);
    });

    it('accepts the same schema converted twice', () => {
      // Arrange
      const Once = z.object({ name: z.string() }).register(z.globalRegistry, { id: 'TestOnce' });
      const components = new SchemaComponents();
      components.schemaOf(Once);

      // Act
      const json = components.schemaOf(z.object({ inner: Once }));

      // Assert
      expect(json.properties).toStrictEqual({ inner: { $ref: '#/components/schemas/TestOnce' } });
    });
  });
});
