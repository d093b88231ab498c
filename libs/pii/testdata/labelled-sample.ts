import type { PiiType } from '../pii-finding';

export interface LabelledEntity {
  type: PiiType;
  subtype: string;
  start: number;
  end: number;
}

export interface LabelledSample {
  id: string;
  text: string;
  entities: LabelledEntity[];
  /** What the sample exercises: `positive:<type>`, `negative:<what>`, `hand`. */
  tag: string;
}

/** A labelled piece of a sample: `pii('email', 'email', 'a@b.io')`. */
export interface Piece {
  type: PiiType;
  subtype: string;
  value: string;
}

export function pii(type: PiiType, subtype: string, value: string): Piece {
  return { type, subtype, value };
}

/** Joins text and labelled pieces, computing each entity's offsets. */
export function compose(id: string, tag: string, parts: ReadonlyArray<string | Piece>): LabelledSample {
  let text = '';
  const entities: LabelledEntity[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    entities.push({
      type: part.type,
      subtype: part.subtype,
      start: text.length,
      end: text.length + part.value.length,
    });
    text += part.value;
  }
  return { id, text, entities, tag };
}

/**
 * Hand-written samples mark their entities inline: `Mail {{email/email:jo@x.io}} now`. The
 * markup is removed and offsets computed, so hand-written offsets cannot be off by one.
 */
export function fromMarkup(id: string, marked: string, tag = 'hand'): LabelledSample {
  const parts: Array<string | Piece> = [];
  const markup = /\{\{([a-z_]+)\/([a-z0-9_]+):([\s\S]*?)\}\}/g;
  let at = 0;
  let match: RegExpExecArray | null;
  while ((match = markup.exec(marked)) !== null) {
    parts.push(marked.slice(at, match.index));
    parts.push(pii(match[1] as PiiType, match[2]!, match[3]!));
    at = match.index + match[0].length;
  }
  parts.push(marked.slice(at));
  return compose(id, tag, parts);
}
