/** NOTIFY channel on which a schema's publishers wake its relay. */
export function outboxChannel(schema: string): string {
  return `personae:outbox:${schema}`;
}
