import type { PersonaPack } from '@personae/pack';

/** Every text of a pack a model will read, with its JSON pointer. */
export function promptTexts(pack: PersonaPack): { pointer: string; text: string }[] {
  const { prompt } = pack.spec;
  return [
    { pointer: '/spec/prompt/system', text: prompt.system },
    ...prompt.safetyBoundaries.map((text, i) => ({ pointer: `/spec/prompt/safetyBoundaries/${i}`, text })),
    ...prompt.starterPrompts.map((text, i) => ({ pointer: `/spec/prompt/starterPrompts/${i}`, text })),
    ...prompt.examples.flatMap((example, i) => [
      { pointer: `/spec/prompt/examples/${i}/input`, text: example.input },
      { pointer: `/spec/prompt/examples/${i}/output`, text: example.output },
    ]),
    ...pack.spec.tools.flatMap((tool, i) => [
      { pointer: `/spec/tools/${i}/description`, text: tool.description },
      ...tool.heuristics.map((text, j) => ({ pointer: `/spec/tools/${i}/heuristics/${j}`, text })),
    ]),
  ];
}
