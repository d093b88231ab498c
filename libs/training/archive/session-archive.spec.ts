import { Readable } from 'node:stream';
import type { TimelineEvent } from '../domain/timeline';
import type { AttachmentRow, SessionRow } from '../store/session.row';
import { sessionArchive, type ArchiveManifest, type ArchiveSource } from './session-archive';
import { readTar } from './tar';

const session = {
  id: '01890a5d-ac96-774b-bcce-b302099a8057',
  tenantId: 'acme',
  trainerId: 'alice',
  personaName: 'tutor',
  baseRef: null,
  baseDigest: null,
  startedAt: new Date('2026-11-21T10:00:00Z'),
  lastSequence: 2501,
} as SessionRow;

const event = (sequence: number): TimelineEvent => ({
  sequence,
  id: `id-${sequence}`,
  type: 'training.conversation.turn',
  topic: 'training.conversation',
  occurredAt: '2026-11-21T10:00:01.000Z',
  tenantId: 'acme',
  actor: { kind: 'trainer', id: 'alice' },
  correlationId: 'c',
  key: session.id,
  payload: { turn: { content: `turn ${sequence}`, sequence } },
});

const file = Buffer.from('%PDF-1.7 not really, but bytes all the same');
const attachment = {
  id: 'a1',
  eventId: 'id-7',
  fileName: 'paper.pdf',
  mediaType: 'application/pdf',
  sizeBytes: file.length,
  sha256: 'f'.repeat(64),
  objectKey: 'acme/training/x/attachments/a1',
} as AttachmentRow;

function source(overrides: Partial<ArchiveSource> = {}): ArchiveSource {
  return {
    session,
    attachments: [attachment],
    timeline: (after, limit) =>
      Promise.resolve(
        Array.from({ length: Math.min(limit, session.lastSequence - after) }, (_, i) => event(after + i + 1)),
      ),
    openAttachment: () => Promise.resolve(Readable.from([file.subarray(0, 10), file.subarray(10)])),
    ...overrides,
  };
}

const build = async (from: ArchiveSource): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of sessionArchive(from)) chunks.push(chunk);
  return Buffer.concat(chunks);
};

describe('session archive', () => {
  it('holds the manifest, the whole timeline in pages of canonical JSON lines, and the attachments', async () => {
    const entries = readTar(await build(source()));
    expect(entries.map((e) => e.name)).toEqual([
      'manifest.json',
      'timeline/00001.jsonl',
      'timeline/00002.jsonl',
      'timeline/00003.jsonl',
      'attachments/a1',
    ]);
    const manifest = JSON.parse(entries[0]!.content.toString('utf8')) as ArchiveManifest;
    expect(manifest).toMatchObject({ events: 2501, timeline: entries.slice(1, 4).map((e) => e.name) });
    const lines = entries
      .slice(1, 4)
      .flatMap((e) => e.content.toString('utf8').trimEnd().split('\n'))
      .map((line) => JSON.parse(line) as TimelineEvent);
    expect(lines.map((e) => e.sequence)).toEqual(Array.from({ length: 2501 }, (_, i) => i + 1));
    // Canonical: keys sorted, no spaces.
    expect(entries[1]!.content.toString('utf8').split('\n')[0]).toMatch(
      /^\{"actor":\{"id":"alice","kind":"trainer"\},/,
    );
    expect(entries[4]!.content).toEqual(file);
  });

  it('is deterministic, so a retried close writes the same bytes', async () => {
    expect((await build(source())).equals(await build(source()))).toBe(true);
  });

  it('refuses a timeline with a gap and an attachment whose size is not the recorded one', async () => {
    const gappy = source({
      timeline: (after, limit) =>
        Promise.resolve(
          Array.from({ length: Math.min(limit, 2501 - after) }, (_, i) =>
            event(after + i + (after > 0 ? 2 : 1)),
          ),
        ),
    });
    await expect(build(gappy)).rejects.toThrow('has a gap after sequence 1000');
    const short = source({ openAttachment: () => Promise.resolve(Readable.from([file.subarray(1)])) });
    await expect(build(short)).rejects.toThrow(
      `attachment a1 has ${file.length - 1} bytes, ${file.length} recorded`,
    );
  });
});
