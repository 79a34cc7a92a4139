/**
 * Key builders for every entity in the single table. The only place keys are spelled out.
 */
export interface ItemKey {
  PK: string;
  SK: string;
}

export function auditEventKey(eventId: string): ItemKey {
  return { PK: `EVENT#${eventId}`, SK: 'EVENT' };
}

/** Audit entries by day, oldest first: GSI1PK = `EVENTS#<yyyy-mm-dd>`, GSI1SK = `<time>#<id>`. */
export function auditEventIndexKey(time: string, eventId: string): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: `EVENTS#${time.slice(0, 10)}`, GSI1SK: `${time}#${eventId}` };
}
