import { parsePersonaRef } from './persona-ref';

/**
 * What the ledger indexes an entry by. Computed once at ingest from the envelope and payload and
 * stored inside the hashed entry; the database derives its query columns from it (generated
 * columns), so a query column can never disagree with what the chain protects.
 */
export interface IndexTerms {
  personaName: string | null;
  personaVersion: number | null;
  /** The envelope's session, or the payload's when the envelope has none. */
  sessionId: string | null;
  actorId: string;
  /** Governance decision outcome: allow, deny or require_approval. */
  decision: string | null;
  /** True when a tenant or persona rule overrode a lower layer. */
  override: boolean | null;
  /** `kind:id` handles for lineage lookups: execution, pack, draft, session, decision, instance, trainer. */
  refs: string[];
}

export interface IndexInput {
  type: string;
  actorId: string;
  personaRef: string;
  sessionId: string;
  /** proto3 JSON of the payload message: `{ <case>: { ... } }`. */
  payload: Record<string, unknown>;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown): number | null => (typeof value === 'number' && value > 0 ? value : null);

export function indexTerms(input: IndexInput): IndexTerms {
  const body = (Object.values(input.payload)[0] ?? {}) as Record<string, unknown>;
  const refs = new Set<string>();
  const add = (kind: string, value: unknown): void => {
    const text = str(value);
    if (text) refs.add(`${kind}:${text}`);
  };

  let persona = parsePersonaRef(input.personaRef);
  let personaVersion = persona?.version ?? null;
  const payloadRef = parsePersonaRef(str(body.personaRef));
  // Runtime events carry the resolved version in the payload when the envelope names a channel.
  if (payloadRef && (!persona || personaVersion === null)) {
    persona = payloadRef;
    personaVersion = payloadRef.version;
  }
  const payloadName = str(body.personaName);
  if (!persona && payloadName) persona = parsePersonaRef(payloadName);
  if (input.type.startsWith('persona.lifecycle.') && num(body.version) !== null)
    personaVersion = num(body.version);

  const sessionId = input.sessionId || str(body.sessionId) || null;
  add('session', sessionId);
  for (const session of Array.isArray(body.trainingSessions) ? body.trainingSessions : [])
    add('session', session);
  add('execution', body.executionId);
  add('pack', body.packSha256);
  add('pack', body.toSha256);
  add('draft', body.draftId);
  add('decision', body.decisionId);
  for (const decision of Array.isArray(body.decisionIds) ? body.decisionIds : []) add('decision', decision);
  add('instance', body.instanceId);
  add('approval', body.approvalId);
  add('trainer', body.trainerId);

  const isDecision = input.type === 'governance.decisions.decision';
  return {
    personaName: persona?.name ?? null,
    personaVersion: persona ? personaVersion : null,
    sessionId,
    actorId: input.actorId,
    decision: isDecision ? str(body.outcome) || null : null,
    override: isDecision ? body.override === true : null,
    refs: [...refs].sort(),
  };
}
