import { Injectable, NotFoundException } from '@nestjs/common';
import { entryView, payloadBody, type EntryView } from '../domain/entry-view';
import { LedgerQueries } from '../store/ledger-queries';

export interface Lineage {
  execution: EntryView;
  persona: { ref: string; name: string | null; version: number | null; packSha256: string };
  /** The persona.lifecycle `sealed` entry of the version that served the execution. */
  sealed: EntryView | null;
  draftId: string | null;
  /** Synthesis and lifecycle entries of that draft: synthesized, saved, reviewed. */
  draft: EntryView[];
  trainingSessions: { sessionId: string; trainers: string[]; entries: EntryView[] }[];
  /** Governance decisions the execution names, overrides included. */
  decisions: EntryView[];
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * "Which persona version served this execution, and which training sessions produced it", from
 * the ledger alone: execution → sealed version (by pack digest) → its draft (synthesis, saves,
 * reviews) → the training sessions named by the seal and the draft → their trainers.
 */
@Injectable()
export class LineageQuery {
  constructor(private readonly ledger: LedgerQueries) {}

  async forExecution(tenantId: string, executionId: string): Promise<Lineage> {
    const [executionRow] = await this.ledger.findByRefs(
      tenantId,
      [`execution:${executionId}`],
      ['runtime.executions.completed'],
    );
    if (!executionRow) throw new NotFoundException(`no execution ${executionId} in this tenant's ledger`);
    const execution = entryView(executionRow);
    const run = payloadBody(execution.entry);
    const packSha256 = str(run.packSha256);

    const sealedRows = packSha256
      ? await this.ledger.findByRefs(tenantId, [`pack:${packSha256}`], ['persona.lifecycle.sealed'])
      : [];
    const sealed = sealedRows[0] ? entryView(sealedRows[0]) : null;
    const seal = sealed ? payloadBody(sealed.entry) : {};
    const draftId = str(seal.draftId) || null;

    const draft = draftId
      ? (
          await this.ledger.findByRefs(
            tenantId,
            [`draft:${draftId}`],
            [
              'synthesis.drafts.synthesized',
              'persona.lifecycle.draftSaved',
              'persona.lifecycle.reviewRequested',
              'persona.lifecycle.reviewSubmitted',
            ],
          )
        ).map(entryView)
      : [];

    const sessionIds = new Set<string>();
    for (const session of Array.isArray(seal.trainingSessions) ? seal.trainingSessions : [])
      if (typeof session === 'string' && session) sessionIds.add(session);
    for (const view of draft) if (view.entry.index.sessionId) sessionIds.add(view.entry.index.sessionId);
    const sessionRows = await this.ledger.findByRefs(
      tenantId,
      [...sessionIds].map((id) => `session:${id}`),
      ['training.session.started', 'training.session.closed'],
    );
    const trainingSessions = [...sessionIds].sort().map((sessionId) => {
      const entries = sessionRows.map(entryView).filter((view) => view.entry.index.sessionId === sessionId);
      const trainers = new Set<string>();
      for (const view of entries) {
        const trainer = str(payloadBody(view.entry).trainerId) || view.entry.actor.id;
        if (trainer) trainers.add(trainer);
      }
      return { sessionId, trainers: [...trainers].sort(), entries };
    });

    const decisionIds = Array.isArray(run.decisionIds)
      ? run.decisionIds.filter((id) => typeof id === 'string')
      : [];
    const decisions = (
      await this.ledger.findByRefs(
        tenantId,
        decisionIds.map((id) => `decision:${String(id)}`),
        ['governance.decisions.decision', 'governance.decisions.approvalRequested'],
      )
    ).map(entryView);

    return {
      execution,
      persona: {
        ref: str(run.personaRef) || execution.entry.personaRef,
        name: execution.entry.index.personaName,
        version: execution.entry.index.personaVersion,
        packSha256,
      },
      sealed,
      draftId,
      draft,
      trainingSessions,
      decisions,
    };
  }
}
