import { Inject, Injectable, Logger } from '@nestjs/common';
import { KnowledgeService } from '@personae/knowledge';
import { EventPublisher } from '@personae/messaging';
import { PersonaeApiError, type DraftView, type RegistryClient } from '@personae/sdk';
import { validatePack, type PersonaPack } from '@personae/pack';
import { InjectDataSource } from '@personae/persistence';
import { ENCRYPTED_OBJECT_STORE, type ObjectStore } from '@personae/storage';
import type { DataSource } from 'typeorm';
import { knowledgeSources } from '../domain/knowledge-sources';
import type { SessionStartedEvent } from '../domain/session-event';
import { buildTimeline, type Finding } from '../domain/session-timeline';
import { synthesizeDraft } from '../domain/synthesize-draft';
import { SessionSnapshotter } from '../knowledge/session-snapshotter';
import { RegistryAccess } from '../registry/registry-access';
import { RunsStore, type RunRow } from '../store/runs.store';
import { sessionEventsStore } from '../store/session-events.store';
import { SYNTHESIS_SCHEMA } from '../store/synthesis-schema';
import { finalPack } from './final-pack';
import { PromptRewriter } from './prompt-rewriter';
import { PermanentSynthesisFailure } from './synthesis-failure';

/** Attempts of one run before it is given up (each a full resume from the step it reached). */
export const MAX_RUN_ATTEMPTS = 8;
const VERSIONED_REF = /^([a-z][a-z0-9_-]{1,62})\.v([1-9][0-9]{0,5})$/;

/**
 * Runs a closed session's synthesis, step by step (base → knowledge → synthesize → rewrite → draft →
 * publish). Each step's output is saved before the next starts, so a crash resumes where it stopped;
 * the run is leased, so two workers never run one session at once; the draft is looked up by session
 * before it is created, so a retried step saves it once.
 */
@Injectable()
export class RunSynthesis {
  private readonly logger = new Logger('Synthesis');
  readonly runs: RunsStore;
  private readonly snapshotter: SessionSnapshotter;

  constructor(
    @InjectDataSource(SYNTHESIS_SCHEMA) private readonly dataSource: DataSource,
    @Inject(ENCRYPTED_OBJECT_STORE) objects: ObjectStore,
    knowledge: KnowledgeService,
    private readonly registry: RegistryAccess,
    private readonly publisher: EventPublisher,
    private readonly rewriter: PromptRewriter,
  ) {
    this.runs = new RunsStore(dataSource);
    this.snapshotter = new SessionSnapshotter(dataSource, objects, knowledge);
  }

  /**
   * Runs the session's synthesis if it is complete and nobody else is running it. Never throws: a
   * failed attempt leaves the run `ready` for the worker's next round (or `failed` after the last).
   */
  async runIfReady(sessionId: string, force = false): Promise<RunRow | undefined> {
    await this.runs.markReady(sessionId, force);
    const run = await this.runs.claim(sessionId);
    if (!run) return undefined;
    try {
      await this.execute(run);
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const permanent = error instanceof PermanentSynthesisFailure;
      const state = await this.runs.release(sessionId, reason, permanent ? 0 : MAX_RUN_ATTEMPTS);
      this.logger.warn(
        `synthesis of session ${sessionId} attempt ${run.attempts} failed (${reason})${state === 'failed' ? '; giving up' : ''}`,
      );
      if (state === 'failed') await this.publishFailure(run, reason);
    }
    return this.runs.get(sessionId);
  }

  private async execute(run: RunRow): Promise<void> {
    const events = await sessionEventsStore.list(this.dataSource.manager, run.tenantId, run.sessionId);
    const started = events.find((e): e is SessionStartedEvent => e.kind === 'started');
    if (!started)
      throw new PermanentSynthesisFailure(`session ${run.sessionId} was closed but its start never arrived`);
    let step = run.step;
    let client: RegistryClient | undefined;
    const registry = async (): Promise<RegistryClient> =>
      (client ??= await this.registry.clientFor(run.tenantId, run.trainerId, run.correlationId || undefined));

    if (step === 'base') {
      run.base = started.basePersonaRef ? await this.basePack(await registry(), started.basePersonaRef) : {};
      await this.runs.saveStep(run.sessionId, (step = 'knowledge'), { base: run.base });
    }
    if (step === 'knowledge') {
      const sources = knowledgeSources(buildTimeline(events));
      run.snapshot =
        sources.length > 0
          ? await this.snapshotter.build(run.tenantId, run.sessionId, sources)
          : { none: true };
      await this.runs.saveStep(run.sessionId, (step = 'synthesize'), { snapshot: run.snapshot });
    }
    if (step === 'synthesize') {
      const snapshot = run.snapshot && 'sources' in run.snapshot ? run.snapshot : undefined;
      const base =
        run.base?.ref && run.base.pack ? { ref: run.base.ref, pack: validatePack(run.base.pack) } : undefined;
      run.result = synthesizeDraft({
        sessionId: run.sessionId,
        personaName: started.personaName,
        base,
        events,
        snapshot,
        sourceEvents: new Map(Object.entries(snapshot?.sourceEvents ?? {})),
        notes: await this.missingEvents(run),
      });
      await this.runs.saveStep(run.sessionId, (step = 'rewrite'), { result: run.result });
    }
    if (step === 'rewrite') {
      run.rewrite = (await this.rewriter.rewrite(run.result!.pack)) ?? { none: true };
      await this.runs.saveStep(run.sessionId, (step = 'draft'), { rewrite: run.rewrite });
    }
    if (step === 'draft') {
      const draft = await this.saveDraft(await registry(), run, finalPack(run.result!, run.rewrite));
      run.draftId = draft.id;
      run.packDigest = draft.digest;
      await this.runs.saveStep(run.sessionId, (step = 'publish'), {
        draftId: draft.id,
        packDigest: draft.digest,
      });
    }
    if (step === 'publish') await this.publishDraft(run, started);
  }

  private async basePack(client: RegistryClient, ref: string): Promise<{ ref: string; pack: PersonaPack }> {
    const match = VERSIONED_REF.exec(ref);
    if (!match) throw new PermanentSynthesisFailure(`base persona ref "${ref}" is not name.vN`);
    try {
      const version = await client.getVersion(match[1]!, Number(match[2]));
      return { ref, pack: validatePack(version.pack) };
    } catch (error) {
      if (
        error instanceof PersonaeApiError &&
        error.status >= 400 &&
        error.status < 500 &&
        error.status !== 429
      )
        throw new PermanentSynthesisFailure(`base version ${ref}: ${error.message}`);
      throw error;
    }
  }

  /** The session's draft: found by session id if an earlier attempt saved it, else created. */
  private async saveDraft(client: RegistryClient, run: RunRow, pack: PersonaPack): Promise<DraftView> {
    const name = pack.metadata.name;
    const page = await client.listDrafts({ name, limit: 100 });
    const existing = page.items.find((d) => d.sessionId === run.sessionId);
    if (existing) return client.getDraft(existing.id);
    try {
      return await client.createDraft(pack, {
        sessionId: run.sessionId,
        trainerIds: run.trainerId ? [run.trainerId] : [],
      });
    } catch (error) {
      if (error instanceof PersonaeApiError && (error.status === 400 || error.status === 422))
        throw new PermanentSynthesisFailure(`the registry refused the draft: ${error.message}`);
      throw error;
    }
  }

  /** Sessions closed before all their events arrived (the worker's wait limit): say what is missing. */
  private async missingEvents(run: RunRow): Promise<Finding[]> {
    const counted = await sessionEventsStore.count(
      this.dataSource.manager,
      run.sessionId,
      run.closedSequence,
    );
    const expected = run.closedSequence > 0 ? run.closedSequence - 1 : run.eventCount;
    const received = run.closedSequence > 0 ? counted.numbered : counted.all;
    return received >= expected
      ? []
      : [
          {
            code: 'incomplete-session',
            message: `${expected - received} of the session's ${expected} events had not arrived when synthesis ran`,
            events: [run.closedEventId],
          },
        ];
  }

  private async publishDraft(run: RunRow, started: SessionStartedEvent): Promise<void> {
    const result = run.result!;
    await this.dataSource.transaction(async (manager) => {
      await this.publisher.publish(manager, {
        topic: 'synthesis.drafts',
        key: run.sessionId,
        tenantId: run.tenantId,
        actor: { kind: 'service', id: 'synthesis-pipeline' },
        personaRef: started.personaName,
        sessionId: run.sessionId,
        correlationId: run.correlationId || undefined,
        causationId: run.closedEventId,
        payload: {
          event: {
            case: 'synthesized',
            value: {
              sessionId: run.sessionId,
              personaName: started.personaName,
              draftId: run.draftId!,
              packSha256: (run.packDigest ?? '').replace(/^sha256:/, ''),
              summary: result.summary.slice(0, 16000),
              changeCount: result.changes.length,
              empty: result.empty,
              contradictionCount: result.contradictions.length,
              rewritten: Boolean(run.rewrite && 'system' in run.rewrite),
              baseRef: run.base?.ref ?? '',
            },
          },
        },
      });
      await manager.query(
        `UPDATE synthesis.runs SET state = 'done', step = 'finished', lease_until = NULL, error = NULL, updated_at = now() WHERE session_id = $1`,
        [run.sessionId],
      );
    });
  }

  private async publishFailure(run: RunRow, reason: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.publisher.publish(manager, {
        topic: 'synthesis.drafts',
        key: run.sessionId,
        tenantId: run.tenantId,
        actor: { kind: 'service', id: 'synthesis-pipeline' },
        sessionId: run.sessionId,
        correlationId: run.correlationId || undefined,
        causationId: run.closedEventId,
        payload: {
          event: { case: 'failed', value: { sessionId: run.sessionId, reason: reason.slice(0, 4000) } },
        },
      });
    });
  }
}
