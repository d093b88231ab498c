import { diffPacks } from './diff-packs';
import { explainDiff, unexplainedChanges } from './explain-diff';
import type { Provenance } from './schema/provenance.schema';

const EVENT = '01890a5d-ac98-7cc0-8e2b-35f4e1ab0f21';

describe('explainDiff', () => {
  const before = {
    spec: { prompt: { system: 'a', safetyBoundaries: ['x'] }, tools: [], style: { humor: 0.2 } },
  };
  const after = {
    spec: {
      prompt: { system: 'b', safetyBoundaries: ['x', 'y'] },
      tools: [{ name: 'web.search', heuristics: ['search reviews first'] }],
      style: { humor: 0.5 },
    },
  };
  const provenance: Provenance = {
    trainingSessions: [],
    changes: [
      { path: '/spec/prompt', reason: 'trainer rewrote the prompt', events: [EVENT], origin: 'human' },
      { path: '/spec/prompt/safetyBoundaries/1', reason: 'added a boundary', events: [EVENT] },
      { path: '/spec/tools/0/heuristics/0', reason: 'learned in session', events: [EVENT], origin: 'llm' },
      { path: '/spec/promptly', reason: 'shares a prefix only', events: [] },
    ],
  };

  it('attaches entries about the pointer or its parents, and about the inside of an added subtree', () => {
    const explained = explainDiff(diffPacks(before, after), provenance);
    const reasons = Object.fromEntries(explained.map((c) => [c.pointer, c.provenance.map((p) => p.reason)]));
    expect(reasons).toEqual({
      '/spec/prompt/safetyBoundaries/1': ['trainer rewrote the prompt', 'added a boundary'],
      '/spec/prompt/system': ['trainer rewrote the prompt'],
      '/spec/style/humor': [],
      '/spec/tools/0': ['learned in session'],
    });
  });

  it('lists the changes nobody explained', () => {
    const explained = explainDiff(diffPacks(before, after), provenance);
    expect(unexplainedChanges(explained).map((c) => c.pointer)).toEqual(['/spec/style/humor']);
    expect(explainDiff(diffPacks(before, after), undefined).every((c) => c.provenance.length === 0)).toBe(
      true,
    );
  });
});
