import type { InstanceRow, SessionRow } from '../store/instance.rows';

export function sessionView(session: SessionRow) {
  return {
    id: session.id,
    label: session.label,
    createdBy: session.createdBy,
    createdAt: session.createdAt,
    totals: session.totals,
  };
}

export function instanceView(instance: InstanceRow) {
  return {
    id: instance.id,
    sessionId: instance.sessionId,
    ref: instance.ref,
    persona: {
      name: instance.personaName,
      version: instance.version,
      ref: `${instance.personaName}.v${instance.version}`,
      digest: instance.digest,
    },
    status: instance.status,
    ...(instance.terminatedReason ? { terminatedReason: instance.terminatedReason } : {}),
    memoryEpoch: instance.memoryEpoch,
    createdBy: instance.createdBy,
    createdAt: instance.createdAt,
    updatedAt: instance.updatedAt,
    totals: instance.totals,
  };
}
