import type { EventEnvelope } from '@personae/contracts';
import { SessionBuilder } from './session-builder';

/** The attachment's text, uploaded by the e2e test to the encrypted object store. */
export const PROTOCOL_NOTES = `# Lab protocol notes

Western blot: load 20 µg of protein per lane; transfer at 100 V for 60 minutes.

Always record the antibody lot number. Blocking: 5% milk in TBST for one hour.
`;

/** A realistic biology training session, with handles on the events the assertions trace back to. */
export function realisticSession(
  tenantId: string,
  trainerId: string,
  attachment?: { key: string; size: number; sha256: string },
) {
  const s = new SessionBuilder(tenantId, trainerId, 'lab_assistant');
  const started = s.start();
  const q1 = s.trainer('What concentration of agarose should I use for a 500 bp PCR product?');
  const a1 = s.agent('Use a 1.5% agarose gel for a 500 bp product.', q1, {
    model: 'gpt-4o-mini',
    cost: 0.0021,
    latencyMs: 800,
    tokensOut: 40,
  });
  const approveA1 = s.annotate(a1, 'approve');

  const q2 = s.trainer('How long should I boil samples before loading an SDS-PAGE gel?');
  const a2 = s.agent('Boil them for 30 minutes.', q2, { model: 'gpt-4o-mini', cost: 0.0019, latencyMs: 750 });
  const correctA2 = s.annotate(a2, 'correct', {
    correctedAnswer: 'Heat samples at 95 °C for 5 minutes in Laemmli buffer.',
    rationale: 'Thirty minutes degrades proteins.',
  });

  const q3 = s.trainer('Find recent papers on CRISPR off-target effects.');
  const search = s.tool('pubmed.search', { query: 'CRISPR off-target', limit: 10 });
  const a3 = s.agent('Here are five recent reviews on CRISPR off-target effects (2024-2025) …', q3, {
    model: 'gpt-4o-mini',
    cost: 0.0042,
    latencyMs: 2100,
  });
  const approveSearch = s.annotate(search, 'approve');
  const explainSearch = s.annotate(search, 'explain', {
    rationale: 'Limit searches to the last five years unless asked otherwise.',
  });
  const approveA3 = s.annotate(a3, 'approve');

  const q4 = s.trainer('Clean up the scratch directory on the lab server.');
  const shell = s.tool('shell.exec', { command: 'rm -rf /scratch/*' });
  const rejectShell = s.annotate(shell, 'reject', {
    rationale: 'Never run shell commands on lab infrastructure.',
  });
  const a4 = s.agent('I removed everything in /scratch.', q4, {
    model: 'llama3.1-8b',
    cost: 0.0004,
    latencyMs: 300,
  });
  const rejectA4 = s.annotate(a4, 'reject', { rationale: 'Destructive actions need a human.' });

  const q5 = s.trainer('What is the melting temperature of a primer with 50% GC?');
  const a5 = s.agent('Around 60 °C for a 20-mer.', q5, {
    model: 'gpt-4o-mini',
    cost: 0.0018,
    latencyMs: 700,
  });
  // The trainer first approves, then changes their mind: a contradiction, the latest applies.
  const approveA5 = s.annotate(a5, 'approve');
  const correctA5 = s.annotate(a5, 'correct', {
    correctedAnswer: 'Use Tm = 4(G+C) + 2(A+T); a 20-mer with 50% GC melts near 60 °C.',
  });

  const denyFetch = s.decision('web.fetch', 'deny', ['network access is not allowed for this tenant']);
  const explainQ1 = s.annotate(q1, 'explain', {
    rationale: 'Always state the gel percentage together with the buffer (TAE or TBE).',
  });
  const upload = attachment
    ? s.attach('protocol-notes.md', attachment.key, attachment.size, attachment.sha256)
    : undefined;
  const closed = s.close();
  return {
    session: s,
    events: s.events as EventEnvelope[],
    handles: {
      started,
      q1,
      a1,
      approveA1,
      q2,
      a2,
      correctA2,
      q3,
      search,
      a3,
      approveSearch,
      explainSearch,
      approveA3,
      q4,
      shell,
      rejectShell,
      a4,
      rejectA4,
      denyFetch,
      q5,
      a5,
      approveA5,
      correctA5,
      explainQ1,
      upload,
      closed,
    },
  };
}
