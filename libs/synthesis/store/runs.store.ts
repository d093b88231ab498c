import type { DataSource, EntityManager } from 'typeorm';
import type { SessionSnapshot } from '../domain/knowledge-sources';
import type { DraftSynthesis } from '../domain/synthesize-draft';
import type { PersonaPack } from '@personae/pack';

export type RunState = 'waiting' | 'ready' | 'running' | 'done' | 'failed';
/** The steps of a run, in order; `step` names the next one to run. */
export const RUN_STEPS = [
  'base',
  'knowledge',
  'synthesize',
  'rewrite',
  'draft',
  'publish',
  'finished',
] as const;
export type RunStep = (typeof RUN_STEPS)[number];

export interface StoredSnapshot extends SessionSnapshot {
  /** Events behind each source id, for provenance. */
  sourceEvents: Record<string, string[]>;
}

export interface PromptRewrite {
  system: string;
  model: string;
}

export interface RunRow {
  sessionId: string;
  tenantId: string;
  trainerId: string;
  closedEventId: string;
  closedSequence: number;
  eventCount: number;
  correlationId: string;
  state: RunState;
  step: RunStep;
  attempts: number;
  base: { ref?: string; pack?: PersonaPack } | null;
  snapshot: StoredSnapshot | { none: true } | null;
  result: DraftSynthesis | null;
  rewrite: PromptRewrite | { none: true } | null;
  draftId: string | null;
  packDigest: string | null;
  error: string | null;
  closedAt: Date;
}

/** A leased run is the worker's for this long; a crashed worker's run is picked up after it. */
const LEASE = "interval '2 minutes'";
const COLUMNS = `session_id AS "sessionId", tenant_id AS "tenantId", trainer_id AS "trainerId",
  closed_event_id AS "closedEventId", closed_sequence AS "closedSequence", event_count AS "eventCount",
  correlation_id AS "correlationId", state, step, attempts, base, snapshot, result, rewrite,
  draft_id AS "draftId", pack_digest AS "packDigest", error, closed_at AS "closedAt"`;

/** One run per session: the closed event opens it, workers lease it, each step's output is kept. */
export class RunsStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The first closed event of a session opens its run; a redelivered or repeated one changes nothing. */
  static async open(
    manager: EntityManager,
    run: {
      sessionId: string;
      tenantId: string;
      trainerId: string;
      closedEventId: string;
      closedSequence: number;
      eventCount: number;
      correlationId: string;
    },
  ): Promise<void> {
    await manager.query(
      // `received` starts from what is stored; each later event counts itself (session-events.store).
      `INSERT INTO synthesis.runs (session_id, tenant_id, trainer_id, closed_event_id, closed_sequence, event_count, correlation_id, state, received)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'waiting',
               (SELECT count(*) FROM synthesis.session_events WHERE session_id = $1 AND kind <> 'closed'))
       ON CONFLICT (session_id) DO NOTHING`,
      [
        run.sessionId,
        run.tenantId,
        run.trainerId,
        run.closedEventId,
        run.closedSequence,
        run.eventCount,
        run.correlationId,
      ],
    );
  }

  async get(sessionId: string, tenantId?: string): Promise<RunRow | undefined> {
    const rows: RunRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM synthesis.runs WHERE session_id = $1 ${tenantId ? 'AND tenant_id = $2' : ''}`,
      tenantId ? [sessionId, tenantId] : [sessionId],
    );
    return rows[0];
  }

  /** waiting → ready once every event before `closed` is stored (or `force`, after the wait limit). */
  async markReady(sessionId: string, force = false): Promise<void> {
    await this.dataSource.query(
      `UPDATE synthesis.runs r SET state = 'ready', updated_at = now()
        WHERE r.session_id = $1 AND r.state = 'waiting' AND ($2 OR (
          CASE WHEN r.closed_sequence > 0
            THEN (SELECT count(DISTINCT e.sequence) FROM synthesis.session_events e
                   WHERE e.session_id = r.session_id AND e.sequence BETWEEN 1 AND r.closed_sequence - 1) >= r.closed_sequence - 1
            ELSE (SELECT count(*) FROM synthesis.session_events e
                   WHERE e.session_id = r.session_id AND e.kind <> 'closed') >= r.event_count
          END))`,
      [sessionId, force],
    );
  }

  /** Leases a ready run (or one whose worker's lease ran out); undefined when there is none to take. */
  async claim(sessionId: string): Promise<RunRow | undefined> {
    // UPDATE … RETURNING answers [rows, affected count] through TypeORM's postgres driver.
    const [rows] = await this.dataSource.query<[RunRow[], number]>(
      `UPDATE synthesis.runs SET state = 'running', lease_until = now() + ${LEASE}, attempts = attempts + 1, updated_at = now()
        WHERE session_id = $1 AND (state = 'ready' OR (state = 'running' AND lease_until < now()))
        RETURNING ${COLUMNS}`,
      [sessionId],
    );
    return rows[0];
  }

  /** Records a step's output and moves to the next step (the lease is renewed). */
  async saveStep(
    sessionId: string,
    next: RunStep,
    fields: Partial<Pick<RunRow, 'base' | 'snapshot' | 'result' | 'rewrite' | 'draftId' | 'packDigest'>>,
  ): Promise<void> {
    const columns: Record<string, string> = {
      base: 'base',
      snapshot: 'snapshot',
      result: 'result',
      rewrite: 'rewrite',
      draftId: 'draft_id',
      packDigest: 'pack_digest',
    };
    const sets: string[] = [];
    const values: unknown[] = [sessionId, next];
    for (const [key, value] of Object.entries(fields)) {
      values.push(key === 'draftId' || key === 'packDigest' ? value : JSON.stringify(value));
      sets.push(`${columns[key]} = $${values.length}`);
    }
    await this.dataSource.query(
      `UPDATE synthesis.runs SET step = $2, ${[...sets, `lease_until = now() + ${LEASE}`, 'updated_at = now()'].join(', ')} WHERE session_id = $1`,
      values,
    );
  }

  /** A failed attempt: back to ready for the next trigger, or failed for good after `maxAttempts`. */
  async release(sessionId: string, error: string, maxAttempts: number): Promise<RunState> {
    const [rows] = await this.dataSource.query<[{ state: RunState }[], number]>(
      `UPDATE synthesis.runs SET state = CASE WHEN attempts >= $3 THEN 'failed' ELSE 'ready' END,
              lease_until = NULL, error = $2, updated_at = now()
        WHERE session_id = $1 AND state = 'running' RETURNING state`,
      [sessionId, error.slice(0, 4000), maxAttempts],
    );
    return rows[0]?.state ?? 'ready';
  }

  /** Runs a worker should look at: not done, and not leased by a live worker. */
  async pending(limit = 50): Promise<{ sessionId: string; state: RunState; overdue: boolean }[]> {
    return this.dataSource.query(
      `SELECT session_id AS "sessionId", state, closed_at < now() - interval '1 minute' AS overdue FROM synthesis.runs
        WHERE state = 'waiting'
           -- a failed attempt waits 2^attempts seconds (at most 30) before the next
           OR (state = 'ready' AND (attempts = 0 OR updated_at < now() - make_interval(secs => least(30, power(2, attempts)))))
           OR (state = 'running' AND lease_until < now())
        ORDER BY closed_at LIMIT $1`,
      [limit],
    );
  }
}
