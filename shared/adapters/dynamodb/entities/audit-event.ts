/**
 * An audited domain event (`EVENT#<id>`), indexed by day in GSI1. The event's id lives in its keys alone:
 * audit items have never carried it as an attribute, so the definition is made for one id.
 */
import * as z from 'zod/mini';
import type { DomainEventRecord } from '../../../app/ports.js';
import { defineEntity, type Entity } from '../entity.js';
import { auditEventIndexKey, auditEventKey } from '../keys.js';
import { exactSchemaOf } from './exact.js';

/** What an audit item holds besides its keys. */
export type AuditEvent = Omit<DomainEventRecord, 'id'>;

const schema = exactSchemaOf<AuditEvent>()(
  z.object({ source: z.string(), detailType: z.string(), time: z.string(), detail: z.unknown() }),
);

export function auditEventEntity(eventId: string): Entity<AuditEvent> {
  return defineEntity<AuditEvent>({
    type: 'AuditEvent',
    schema,
    key: () => auditEventKey(eventId),
    indexes: (event) => auditEventIndexKey(event.time, eventId),
  });
}
