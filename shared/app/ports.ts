/**
 * Ports: what the use cases need from the outside world, named by capability. Adapters in
 * shared/adapters implement them; unit tests use in-memory fakes.
 */

export type IntegrationName = 'table' | 'queue' | 'bus' | 'stepFunctions' | 'kms';

/** One dependency the service cannot work without, and a cheap call that proves it answers. */
export interface IntegrationProbe {
  name: IntegrationName;
  check(): Promise<void>;
}

export interface DomainEventRecord {
  id: string;
  source: string;
  detailType: string;
  time: string;
  detail: unknown;
}

export interface AuditLog {
  /** Stores the event once; returns false when it was already stored (a redelivery). */
  append(event: DomainEventRecord): Promise<boolean>;
}

export interface Clock {
  now(): Date;
}
