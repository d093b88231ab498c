import { Injectable } from '@nestjs/common';
import { redactPii } from '@personae/pii';
import type { ReceiptDecision } from '../domain/compliance-receipt';
import type { VerifiedPersona } from '../personas/verified-persona';
import type { TurnsResult } from './model-turns';
import { Pseudonyms } from './pseudonyms';

/**
 * Redacts a streamed answer sentence by sentence: text is held back until a sentence or line ends,
 * so personal data split across chunks is still seen whole before anything is sent.
 */
export class StreamRedactor {
  private pending = '';
  private emitted = '';
  private findings = 0;
  readonly types = new Set<string>();

  constructor(private readonly redact?: (text: string) => { text: string; found: string[] }) {}

  push(text: string): string {
    if (!this.redact) return this.emit(text);
    this.pending += text;
    const boundary = Math.max(this.pending.lastIndexOf('\n'), lastSentenceEnd(this.pending));
    if (boundary < 0) return '';
    const ready = this.pending.slice(0, boundary + 1);
    this.pending = this.pending.slice(boundary + 1);
    return this.emit(this.apply(ready));
  }

  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return rest ? this.emit(this.redact ? this.apply(rest) : rest) : '';
  }

  /** Everything sent so far. */
  get text(): string {
    return this.emitted;
  }

  get streamed(): boolean {
    return this.emitted.length > 0;
  }

  get count(): number {
    return this.findings;
  }

  /** Redacts whole text (non-streamed answers, remembered tool-call turns). */
  whole(text: string): string {
    return this.redact ? this.apply(text) : text;
  }

  private apply(text: string): string {
    const out = this.redact!(text);
    this.findings += out.found.length;
    for (const type of out.found) this.types.add(type);
    return out.text;
  }

  private emit(text: string): string {
    this.emitted += text;
    return text;
  }
}

function lastSentenceEnd(text: string): number {
  for (let i = text.length - 2; i >= 0; i--) {
    const c = text[i]!;
    if ((c === '.' || c === '!' || c === '?') && /\s/.test(text[i + 1]!)) return i + 1;
  }
  return -1;
}

export interface OutputVerdict {
  text: string;
  decisions: ReceiptDecision[];
  denied?: { step: string; reasons: string[] };
  redact(text: string): string;
}

/** Output governance: the pack's PII redaction on the answer, and the provider's content filter. */
@Injectable()
export class OutputGovernance {
  constructor(private readonly pseudonyms: Pseudonyms) {}

  redactor(persona: VerifiedPersona, scope: string): StreamRedactor {
    const redaction = persona.pack.spec.policy.piiRedaction;
    if (!redaction.enabled) return new StreamRedactor();
    return new StreamRedactor((text) => {
      const out = redactPii(text, {
        mode: redaction.mode,
        ...(redaction.types ? { types: redaction.types } : {}),
        ...(redaction.mode === 'pseudonymize' ? { pseudonyms: this.pseudonyms.table(scope) } : {}),
      });
      return { text: out.text, found: out.findings.map((f) => f.type) };
    });
  }

  finish(persona: VerifiedPersona, turns: TurnsResult, redactor: StreamRedactor): OutputVerdict {
    const text = redactor.streamed ? redactor.text : redactor.whole(turns.content);
    const decisions: ReceiptDecision[] = [];
    if (redactor.count > 0)
      decisions.push({
        step: 'output-redaction',
        effect: 'redacted',
        ruleIds: [],
        reasons: [
          `${redactor.count} item(s) of personal data (${[...redactor.types].join(', ')}) redacted from the answer`,
        ],
      });
    const verdict: OutputVerdict = { text, decisions, redact: (t) => redactor.whole(t) };
    if (turns.finishReason === 'content_filter') {
      const reasons = [`the model provider filtered the answer of ${persona.ref}`];
      decisions.push({ step: 'output', effect: 'deny', ruleIds: [], reasons });
      verdict.denied = { step: 'output', reasons };
    }
    return verdict;
  }
}
