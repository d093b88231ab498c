import { canonicalPackJson, diffPacks, explainDiff } from '@personae/pack';
import { synthesizeDraft } from '@personae/synthesis/domain/synthesize-draft';
import { toSessionEvent, type TrainingTopic } from '@personae/synthesis/events/session-event.mapper';
import type { EventEnvelope } from '@personae/contracts';
import { emptyPack } from '@personae/synthesis/domain/synthesize-draft';
import { longSession } from './session-builder';
import { realisticSession } from './realistic-session';

const domainEvents = (events: EventEnvelope[]) =>
  events.map((e) => toSessionEvent(e as EventEnvelope<TrainingTopic>));

describe('synthesizeDraft (pure)', () => {
  const { session, events, handles: h } = realisticSession('acme', 'trainer-ann');
  const draft = synthesizeDraft({
    sessionId: session.sessionId,
    personaName: 'lab_assistant',
    events: domainEvents(events),
  });
  const tracesOf = (predicate: (path: string) => boolean) => draft.changes.filter((c) => predicate(c.path));

  it('turns corrections, explanations and rejected answers into prompt rules citing their events', () => {
    const system = draft.pack.spec.prompt.system;
    expect(system).toContain('Heat samples at 95 °C for 5 minutes');
    expect(system).toContain('Always state the gel percentage together with the buffer');
    expect(system).toContain('never answer like this: "I removed everything in /scratch."');
    expect(system).toContain('About the tool pubmed.search: Limit searches to the last five years');
    const rules = tracesOf((p) => p === '/spec/prompt/system');
    expect(rules.find((c) => c.reason.includes('95 °C'))?.events).toEqual([h.correctA2.id, h.a2.id, h.q2.id]);
    expect(rules.find((c) => c.reason.includes('gel percentage'))?.events).toEqual([h.explainQ1.id, h.q1.id]);
    expect(rules.find((c) => c.reason.includes('/scratch'))?.events).toEqual([
      h.rejectA4.id,
      h.a4.id,
      h.q4.id,
    ]);
  });

  it('makes approved and corrected exchanges few-shot examples, corrections first', () => {
    const examples = draft.pack.spec.prompt.examples;
    expect(examples.map((e) => e.input)).toEqual([q(h.q2), q(h.q5), q(h.q1), q(h.q3)]);
    expect(examples[0]!.output).toBe('Heat samples at 95 °C for 5 minutes in Laemmli buffer.');
    expect(examples[2]!.output).toBe('Use a 1.5% agarose gel for a 500 bp product.');
    const example = tracesOf((p) => p === '/spec/prompt/examples/2')[0]!;
    expect(example.events).toEqual([h.approveA1.id, h.a1.id, h.q1.id]);
  });

  it('reports the approve-then-correct contradiction and applies the latest', () => {
    expect(draft.contradictions).toEqual([
      expect.objectContaining({ target: h.a5.id, annotations: [h.approveA5.id, h.correctA5.id] }),
    ]);
    expect(draft.pack.spec.prompt.examples[1]!.output).toContain('4(G+C)');
    expect(draft.summary).toContain('1 contradiction(s)');
  });

  it('whitelists the approved tool with heuristics, blocks the rejected one', () => {
    expect(draft.pack.spec.tools.map((t) => t.name)).toEqual(['pubmed.search']);
    const tool = draft.pack.spec.tools[0]!;
    expect(tool.heuristics).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Find recent papers on CRISPR'),
        'Success rate 100% (1/1).',
        expect.stringContaining('query (always, string)'),
        'Trainer: Limit searches to the last five years unless asked otherwise.',
      ]),
    );
    expect(tool.inputSchema).toEqual({
      type: 'object',
      properties: { query: { type: 'string' }, limit: { type: 'integer' } },
      required: ['limit', 'query'],
    });
    expect(tracesOf((p) => p === '/spec/tools/0')[0]!.events).toEqual(
      expect.arrayContaining([h.approveSearch.id, h.search.id, h.explainSearch.id]),
    );
    expect(draft.pack.spec.policy.blockedActions).toEqual(['web.fetch', 'shell.exec']);
    expect(tracesOf((p) => p === '/spec/policy/blockedActions/0')[0]!.events).toEqual([h.denyFetch.id]);
    expect(tracesOf((p) => p === '/spec/policy/blockedActions/1')[0]!.events).toEqual([
      h.rejectShell.id,
      h.shell.id,
    ]);
  });

  it('fills model preferences from telemetry', () => {
    expect(draft.pack.spec.models.primary?.model).toBe('gpt-4o-mini');
    expect(draft.pack.spec.models.budget.maxCostPerRequest).toBeCloseTo(0.0063, 6);
    expect(tracesOf((p) => p === '/spec/models/budget/maxCostPerRequest')[0]!.events).toEqual([h.a3.id]);
  });

  it('records provenance and every diff change is explained', () => {
    expect(draft.pack.provenance?.trainingSessions).toEqual([session.sessionId]);
    const explained = explainDiff(diffPacks(emptyPack('lab_assistant'), draft.pack), draft.pack.provenance);
    const unexplained = explained.filter(
      (c) => c.provenance.length === 0 && !c.pointer.startsWith('/provenance'),
    );
    expect(unexplained).toEqual([]);
  });

  it('is deterministic: same events in another order give the same pack, byte for byte', () => {
    const shuffled = [...events].reverse();
    const again = synthesizeDraft({
      sessionId: session.sessionId,
      personaName: 'lab_assistant',
      events: domainEvents(shuffled),
    });
    expect(canonicalPackJson(again.pack)).toBe(canonicalPackJson(draft.pack));
    expect(again.summary).toBe(draft.summary);
  });

  it('says so when a session holds nothing usable', () => {
    const empty = longSession(4, 0);
    const result = synthesizeDraft({
      sessionId: empty.sessionId,
      personaName: 'biology_researcher',
      events: domainEvents(empty.events),
    });
    expect(result.empty).toBe(true);
    expect(result.pack.metadata.description).toContain('held nothing usable');
    expect(result.summary).toContain('held nothing usable');
  });

  it('keeps within the pack limits on a 1,000-turn session with 200 annotations', () => {
    const long = longSession(1000, 200);
    const result = synthesizeDraft({
      sessionId: long.sessionId,
      personaName: 'biology_researcher',
      events: domainEvents(long.events),
    });
    expect(result.pack.spec.prompt.examples.length).toBeLessThanOrEqual(20);
    expect(result.findings.map((f) => f.code)).toContain('examples-capped');
    expect(result.pack.spec.policy.blockedActions).toEqual(['shell.exec']);
    expect(Buffer.byteLength(canonicalPackJson(result.pack))).toBeLessThan(512 * 1024);
  });
});

function q(event: EventEnvelope): string {
  return (event.payload.event.value as { content: string }).content;
}
