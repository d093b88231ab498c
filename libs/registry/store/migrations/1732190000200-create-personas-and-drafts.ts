import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Personas, their drafts (with the full-text search vector) and the reviews of each draft. */
export class CreatePersonasAndDrafts1732190000200 implements MigrationInterface {
  name = 'CreatePersonasAndDrafts1732190000200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE registry.personas (
        tenant_id   text        NOT NULL CHECK (tenant_id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        name        text        NOT NULL CHECK (name ~ '^[a-z][a-z0-9_-]{1,62}$'),
        created_by  text        NOT NULL,
        forked_from text,                       -- name.vN of the version it was cloned from
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, name)
      )
    `);
    await runner.query(`
      CREATE TABLE registry.drafts (
        id                 uuid        PRIMARY KEY,  -- UUIDv7
        tenant_id          text        NOT NULL,
        persona_name       text        NOT NULL,
        pack               jsonb       NOT NULL,     -- validated, normalized pack
        pack_digest        text        NOT NULL CHECK (pack_digest ~ '^sha256:[0-9a-f]{64}$'),
        state              text        NOT NULL CHECK (state IN ('draft', 'in_review', 'approved', 'rejected', 'sealed')),
        author_id          text        NOT NULL,
        trainer_ids        text[]      NOT NULL DEFAULT '{}',  -- may not review it (four eyes)
        session_id         uuid,                             -- training session it was synthesized from
        approvals          jsonb       NOT NULL DEFAULT '[]', -- current approvals; voided by any edit
        required_approvals int         NOT NULL CHECK (required_approvals BETWEEN 1 AND 10),
        version            int,                              -- set when sealed
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        -- Ranked full-text search: names weigh most, then tags and capabilities, then the description,
        -- then the system prompt. to_tsvector(jsonb) indexes the string values of a JSON array.
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', persona_name), 'A') ||
          setweight(to_tsvector('english', coalesce(pack #>> '{metadata,displayName}', '')), 'A') ||
          setweight(to_tsvector('english', coalesce(pack #> '{metadata,tags}', '[]')), 'B') ||
          setweight(to_tsvector('english', coalesce(pack #> '{spec,capabilities}', '[]')), 'B') ||
          setweight(to_tsvector('english', coalesce(pack #>> '{metadata,description}', '')), 'C') ||
          setweight(to_tsvector('english', coalesce(pack #>> '{spec,prompt,system}', '')), 'D')
        ) STORED,
        FOREIGN KEY (tenant_id, persona_name) REFERENCES registry.personas (tenant_id, name),
        CHECK ((state = 'sealed') = (version IS NOT NULL))
      )
    `);
    await runner.query(`CREATE INDEX drafts_search_idx ON registry.drafts USING gin (search)`);
    // Tag and capability filters are containment queries on the pack (pack @> '{"metadata":{"tags":[...]}}').
    await runner.query(`CREATE INDEX drafts_pack_idx ON registry.drafts USING gin (pack jsonb_path_ops)`);
    await runner.query(
      `CREATE INDEX drafts_tenant_updated_idx ON registry.drafts (tenant_id, updated_at DESC, id DESC)`,
    );
    await runner.query(`CREATE INDEX drafts_tenant_persona_idx ON registry.drafts (tenant_id, persona_name)`);
    await runner.query(`
      CREATE TABLE registry.reviews (
        id          uuid        PRIMARY KEY,
        tenant_id   text        NOT NULL,
        draft_id    uuid        NOT NULL REFERENCES registry.drafts (id) ON DELETE CASCADE,
        reviewer_id text        NOT NULL,
        verdict     text        NOT NULL CHECK (verdict IN ('approved', 'rejected')),
        comment     text        NOT NULL DEFAULT '',
        at          timestamptz NOT NULL DEFAULT now()
      )
    `);
    await runner.query(`CREATE INDEX reviews_draft_idx ON registry.reviews (tenant_id, draft_id, at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE registry.reviews`);
    await runner.query(`DROP TABLE registry.drafts`);
    await runner.query(`DROP TABLE registry.personas`);
  }
}
