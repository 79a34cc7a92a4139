/**
 * One definition per entity of the single table: its `type`, its key and index keys (built by `keys.ts`,
 * the one place keys are spelled out), how it becomes an item and how an item becomes it again, parsed, so
 * that a malformed item fails loudly where it is read instead of travelling on as a cast. ElectroDB's entity
 * model is the example: the adapters talk in entities, the definition talks in items.
 *
 * Every item carries `type` (the entity's name) and `version` (a counter every conditional write adds one
 * to, so a decision made against an item as read can require that it is still the item it read).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { ItemKey } from './keys.js';

/** The attributes the table adds around an entity; never part of the entity itself. */
const TABLE_ATTRIBUTES = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'type', 'version'] as const;

/** An item the table holds that its entity definition refuses: written by someone else, or a bug. */
export class MalformedItemError extends Error {
  constructor(
    readonly entityType: string,
    readonly issues: string,
  ) {
    super(`A stored ${entityType} does not match its definition: ${issues}`);
    this.name = 'MalformedItemError';
  }
}

export type IndexKeys = Partial<Record<'GSI1PK' | 'GSI1SK' | 'GSI2PK' | 'GSI2SK', string>>;

export interface EntityDefinition<T> {
  /** The item's `type` attribute. */
  readonly type: string;
  /** What a stored item must look like, without the table's attributes. */
  readonly schema: z.ZodMiniType<T>;
  readonly key: (entity: T) => ItemKey;
  /** Index keys, when the entity appears in an access pattern on a GSI. */
  readonly indexes?: (entity: T) => IndexKeys;
  /** Attributes the table keeps beside the entity (its TTL in epoch seconds), not part of it; a strict schema drops them on read. */
  readonly extra?: (entity: T) => Record<string, unknown>;
}

export interface Entity<T> extends EntityDefinition<T> {
  /** The whole item for a first write: keys, index keys, `type`, `version: 1` and the entity. */
  toItem(entity: T): Record<string, unknown>;
  /** The entity an item holds, parsed: MalformedItemError when the item does not match the definition. */
  fromItem(item: Record<string, unknown>): T;
  /** The item's version (0 for an item written before versions were kept). */
  versionOf(item: Record<string, unknown>): number;
}

export function defineEntity<T>(definition: EntityDefinition<T>): Entity<T> {
  return {
    ...definition,
    toItem(entity) {
      return {
        ...definition.key(entity),
        ...definition.indexes?.(entity),
        ...definition.extra?.(entity),
        type: definition.type,
        version: 1,
        ...entity,
      };
    },
    fromItem(item) {
      const fields: Record<string, unknown> = { ...item };
      for (const attribute of TABLE_ATTRIBUTES) delete fields[attribute];
      const parsed = z.safeParse(definition.schema, fields);
      if (!parsed.success) throw new MalformedItemError(definition.type, summarize(parsed.error));
      return parsed.data;
    },
    versionOf(item) {
      return typeof item.version === 'number' ? item.version : 0;
    },
  };
}

function summarize(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(item)'}: ${issue.message}`)
    .join('; ');
}

/** The condition of a first write: no item with this key exists yet. */
export const ABSENT = 'attribute_not_exists(PK)';

/**
 * Creates the entity unless an item with its key exists, and then returns what is stored (the first write
 * wins; a retry or a concurrent twin gets the winner). `read` reads the stored entity by its key.
 */
export async function putIfAbsent<T>(
  client: DynamoDBDocumentClient,
  tableName: string,
  entity: Entity<T>,
  value: T,
  read: () => Promise<T | undefined>,
): Promise<{ value: T; created: boolean }> {
  try {
    await client.send(
      new PutCommand({ TableName: tableName, Item: entity.toItem(value), ConditionExpression: ABSENT }),
    );
    return { value, created: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const stored = await read();
    if (stored === undefined) throw error;
    return { value: stored, created: false };
  }
}

/**
 * An update expression from named parts, with every attribute name and value bound by placeholder, so no
 * caller writes `#status = :status` by hand or collides with a reserved word.
 */
export interface UpdateParts {
  set?: Record<string, unknown>;
  remove?: readonly string[];
  add?: Record<string, number>;
}

export interface UpdateExpression {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

export function updateExpression(parts: UpdateParts): UpdateExpression {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const name = (attribute: string): string => {
    const placeholder = `#u_${attribute}`;
    names[placeholder] = attribute;
    return placeholder;
  };
  const clauses: string[] = [];
  const set = Object.entries(parts.set ?? {}).filter(([, value]) => value !== undefined);
  if (set.length > 0)
    clauses.push(
      `SET ${set
        .map(([attribute, value]) => {
          values[`:u_${attribute}`] = value;
          return `${name(attribute)} = :u_${attribute}`;
        })
        .join(', ')}`,
    );
  if ((parts.remove ?? []).length > 0) clauses.push(`REMOVE ${(parts.remove ?? []).map(name).join(', ')}`);
  const add = Object.entries(parts.add ?? {});
  if (add.length > 0)
    clauses.push(
      `ADD ${add
        .map(([attribute, value]) => {
          values[`:u_${attribute}`] = value;
          return `${name(attribute)} :u_${attribute}`;
        })
        .join(', ')}`,
    );
  if (clauses.length === 0) throw new Error('An update changes at least one attribute');
  return {
    UpdateExpression: clauses.join(' '),
    ExpressionAttributeNames: names,
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
}
