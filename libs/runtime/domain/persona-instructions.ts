import type { PersonaPack } from '@personae/pack';

type Spec = PersonaPack['spec'];

/** A 0..1 dial as words: only clear leanings are worth a sentence to the model. */
function lean(value: number | undefined, low: string, high: string): string | undefined {
  if (value === undefined) return undefined;
  if (value <= 0.3) return low;
  if (value >= 0.7) return high;
  return undefined;
}

const VERBOSITY: Record<string, string> = {
  concise: 'Keep answers short: a few sentences unless more is asked for.',
  balanced: 'Give answers of moderate length.',
  detailed: 'Give thorough answers with the relevant detail.',
  elaborate: 'Give comprehensive answers that explore the topic in depth.',
};

/**
 * The pack's personality, style, tone, vocabulary and safety boundaries as plain instructions, so any
 * model (which knows nothing of Big Five dials) behaves as the persona was trained to.
 */
export function personaInstructions(spec: Partial<Spec>): string {
  const lines: string[] = [];
  const p = spec.personality;
  const traits = [
    lean(p?.openness, 'Prefer proven, practical approaches.', 'Be curious and open to unusual ideas.'),
    lean(p?.conscientiousness, 'Be flexible rather than exhaustive.', 'Be thorough, careful and precise.'),
    lean(p?.extraversion, 'Be reserved and to the point.', 'Be outgoing and engaging.'),
    lean(p?.agreeableness, 'Challenge weak reasoning directly.', 'Be accommodating and cooperative.'),
    lean(p?.neuroticism, 'Be calm and confident.', 'Be cautious and flag risks.'),
    lean(p?.formality, 'Use a casual register.', 'Use a formal register.'),
    lean(p?.enthusiasm, 'Keep an even, understated tone.', 'Show enthusiasm.'),
  ].filter((line): line is string => line !== undefined);
  if (traits.length > 0) lines.push(`Personality: ${traits.join(' ')}`);

  const s = spec.style;
  if (s) {
    const style = [
      VERBOSITY[s.verbosity] ?? undefined,
      `Overall tone: ${s.tone}.`,
      lean(s.humor, 'Do not joke.', 'Use humour where it fits.'),
      lean(s.technicalDepth, 'Use plain language.', 'Go into expert technical detail.'),
      lean(s.empathy, 'Stay matter-of-fact.', 'Be emotionally attentive.'),
      lean(s.proactivity, 'Answer only what is asked.', 'Anticipate and suggest next steps.'),
    ].filter((line): line is string => line !== undefined);
    lines.push(`Style: ${style.join(' ')}`);
  }
  if (spec.prompt?.tone) lines.push(`Tone of voice: ${spec.prompt.tone}.`);
  const vocabulary = spec.prompt?.vocabulary;
  if (vocabulary?.preferred.length) lines.push(`Prefer these terms: ${vocabulary.preferred.join(', ')}.`);
  if (vocabulary?.avoided.length) lines.push(`Never use these terms: ${vocabulary.avoided.join(', ')}.`);
  const boundaries = spec.prompt?.safetyBoundaries ?? [];
  if (boundaries.length > 0)
    lines.push(`Rules you must always follow:\n${boundaries.map((b) => `- ${b}`).join('\n')}`);
  return lines.join('\n');
}
