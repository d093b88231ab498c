import type { PersonaPack } from '@personae/pack';
import { checkResult, type CheckFinding, type PackCheckResult } from './validation-report';

/**
 * Phrases that, in a tool description, address the model rather than describe the tool: the indirect
 * prompt injection of OWASP LLM01 (a tool description is read by the model as instructions).
 */
const SUSPICIOUS: { pattern: RegExp; why: string }[] = [
  {
    pattern:
      /\b(ignore|disregard|forget|override)\b[^.]{0,40}\b(instructions?|rules|guidelines|system prompt|policies|prompt)\b/i,
    why: 'tells the model to drop its instructions',
  },
  {
    pattern: /\byou are now\b|\bfrom now on,? you\b|\bact as\b|\bpretend (to be|you are)\b/i,
    why: 'tries to change who the model is',
  },
  {
    pattern:
      /\b(reveal|print|output|repeat|leak|show)\b[^.]{0,40}\b(system prompt|instructions|secrets?|passwords?|api[ _-]?keys?|credentials|tokens?)\b/i,
    why: 'asks the model to reveal secrets or its prompt',
  },
  {
    pattern:
      /\b(send|post|upload|forward|exfiltrate|transmit)\b[^.]{0,60}\b(https?:\/\/|webhook|to (this|the following) (url|address|server))/i,
    why: 'asks the model to send data somewhere',
  },
  {
    pattern: /\b(do not|don't|never) (tell|inform|mention|show)\b[^.]{0,30}\b(user|human)\b/i,
    why: 'asks the model to hide something from the user',
  },
  {
    pattern: /\b(always|must) (call|use|invoke) this tool\b[^.]{0,40}\b(before|instead of|every)\b/i,
    why: 'tries to hijack tool selection',
  },
  {
    pattern: /<\|im_start\|>|<\|system\|>|\[INST\]|<<SYS>>|^\s*#+\s*(system|instructions?)\s*:?\s*$/im,
    why: 'contains chat-template or role markers',
  },
];

/** Tool descriptions (and their heuristics) that carry instructions to the model are flagged. */
export function injectionCheck(pack: PersonaPack): PackCheckResult {
  const findings: CheckFinding[] = [];
  pack.spec.tools.forEach((tool, i) => {
    const texts = [
      { pointer: `/spec/tools/${i}/description`, text: tool.description },
      ...tool.heuristics.map((text, j) => ({ pointer: `/spec/tools/${i}/heuristics/${j}`, text })),
    ];
    for (const { pointer, text } of texts)
      for (const { pattern, why } of SUSPICIOUS)
        if (pattern.test(text))
          findings.push({ pointer, reason: `suspicious instruction (OWASP LLM01 prompt injection): ${why}` });
  });
  return checkResult('tool-description-injection', findings);
}
