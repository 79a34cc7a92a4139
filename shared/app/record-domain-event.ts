import type { AuditLog, DomainEventRecord } from './ports.js';

/**
 * 1. Append the event to the audit log; a redelivered event is already there and changes nothing.
 */
export async function recordDomainEvent(
  event: DomainEventRecord,
  auditLog: AuditLog,
): Promise<{ stored: boolean }> {
  return { stored: await auditLog.append(event) };
}
