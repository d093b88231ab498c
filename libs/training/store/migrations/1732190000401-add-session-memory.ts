import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The agent's memory on the session row: its newest 40 turns, each agent turn with the trainer's
 * latest correction, kept by the statement that records turns and corrections (under the row lock).
 * A message then reads one row instead of its last 40 turns and their corrections' envelopes. The
 * timeline stays the record; this is derived from it (and rebuilt from it here for open sessions).
 */
export class AddSessionMemory1732190000401 implements MigrationInterface {
  name = 'AddSessionMemory1732190000401';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE training.sessions ADD COLUMN memory jsonb NOT NULL DEFAULT '[]'`);
    await runner.query(`
      UPDATE training.sessions s SET memory = (
        SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                 'eventId', t.id, 'role', t.role, 'content', coalesce(t.envelope #>> '{payload,turn,content}', ''),
                 'correctedAnswer', c.corrected)) ORDER BY t.sequence), '[]')
          FROM (SELECT id, role, sequence, envelope FROM training.events
                 WHERE session_id = s.id AND role IS NOT NULL ORDER BY sequence DESC LIMIT 40) t
          LEFT JOIN LATERAL (
            SELECT a.envelope #>> '{payload,added,correctedAnswer}' AS corrected FROM training.events a
             WHERE a.target_event_id = t.id AND a.session_id = s.id
               AND a.envelope #>> '{payload,added,kind}' = 'correct'
             ORDER BY a.sequence DESC LIMIT 1) c ON true)
       WHERE s.state <> 'closed'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE training.sessions DROP COLUMN memory`);
  }
}
