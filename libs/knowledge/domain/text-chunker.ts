export interface ChunkingOptions {
  /** Longest chunk in characters; default 1000. */
  maxChars?: number;
  /** Trailing sentences (up to this many characters) repeated at the start of the next chunk; default 150. */
  overlapChars?: number;
}

/** A sentence end (punctuation, closing quotes, whitespace) or a paragraph break (a blank line). */
const BOUNDARY = /[.!?。！？]["'”’)\]]*\s+|\n[^\S\n]*\n\s*/gu;
const PARAGRAPH = /\n[^\S\n]*\n/;
/** Input is cut into slices this long, so one huge string never makes the segmenter quadratic. */
const SLICE = 64 * 1024;

/**
 * Splits text into overlapping chunks along sentences and paragraphs, one piece of input at a time:
 * it holds at most a few chunks' worth of text, whatever the input's size. Whitespace inside a chunk is
 * collapsed to single spaces, so the same text always yields the same chunks (and content hashes).
 */
export class TextChunker {
  private readonly maxChars: number;
  private readonly overlapChars: number;
  private pending = '';
  private units: string[] = [];
  private length = 0;
  /** How many leading units of `units` are overlap carried over from the previous chunk. */
  private carried = 0;
  private out: string[] = [];

  constructor(options: ChunkingOptions = {}) {
    this.maxChars = options.maxChars ?? 1000;
    this.overlapChars = options.overlapChars ?? 150;
    if (!Number.isInteger(this.maxChars) || this.maxChars < 50 || this.maxChars > 100_000)
      throw new Error('maxChars must be a whole number from 50 to 100000');
    if (
      !Number.isInteger(this.overlapChars) ||
      this.overlapChars < 0 ||
      this.overlapChars >= this.maxChars / 2
    )
      throw new Error('overlapChars must be a whole number from 0 to less than half of maxChars');
  }

  /** Feeds text; returns the chunks it completed. */
  push(text: string): string[] {
    for (let start = 0; start < text.length; start += SLICE) this.segment(text.slice(start, start + SLICE));
    return this.drain();
  }

  /** Flushes what is left at the end of the input. */
  end(): string[] {
    this.addUnit(this.pending, true);
    this.pending = '';
    if (this.units.length > this.carried) this.emit(false);
    this.units = [];
    this.length = 0;
    this.carried = 0;
    return this.drain();
  }

  private drain(): string[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private segment(piece: string): void {
    const text = this.pending + piece;
    let position = 0;
    BOUNDARY.lastIndex = 0;
    for (let match = BOUNDARY.exec(text); match; match = BOUNDARY.exec(text)) {
      const after = match.index + match[0].length;
      // A boundary at the very end may still grow (more blank lines, a closing quote): wait for more input.
      if (after >= text.length) break;
      this.addUnit(text.slice(position, match.index + match[0].trimEnd().length), PARAGRAPH.test(match[0]));
      position = after;
    }
    let rest = text.slice(position);
    // No boundary for a long stretch (a table, minified text): cut at a space rather than hold it all.
    while (rest.length > 2 * this.maxChars) {
      const cut = cutPoint(rest, this.maxChars);
      this.addUnit(rest.slice(0, cut), false);
      rest = rest.slice(cut);
    }
    this.pending = rest;
  }

  private addUnit(raw: string, paragraphEnd: boolean): void {
    let unit = raw.replace(/\s+/g, ' ').trim();
    if (unit.length === 0) {
      if (paragraphEnd) this.paragraphBreak();
      return;
    }
    while (unit.length > this.maxChars) {
      const cut = cutPoint(unit, this.maxChars);
      this.place(unit.slice(0, cut).trim());
      unit = unit.slice(cut).trim();
    }
    if (unit.length > 0) this.place(unit);
    if (paragraphEnd) this.paragraphBreak();
  }

  private place(unit: string): void {
    while (this.units.length > 0 && this.length + 1 + unit.length > this.maxChars) {
      if (this.units.length > this.carried) {
        this.emit(true);
      } else {
        // Only overlap left and it does not fit with this unit: drop the oldest overlap instead.
        this.length -= this.units.shift()!.length + 1;
        this.carried--;
      }
    }
    this.length += (this.units.length > 0 ? 1 : 0) + unit.length;
    this.units.push(unit);
  }

  /** A paragraph ends: close the chunk if it is well filled, so chunks follow the document's structure. */
  private paragraphBreak(): void {
    if (this.units.length > this.carried && this.length >= this.maxChars * 0.6) this.emit(false);
  }

  private emit(overlap: boolean): void {
    this.out.push(this.units.join(' '));
    const kept: string[] = [];
    let keptLength = 0;
    if (overlap) {
      for (let i = this.units.length - 1; i > 0; i--) {
        const unit = this.units[i]!;
        if (keptLength + unit.length + (kept.length > 0 ? 1 : 0) > this.overlapChars) break;
        keptLength += unit.length + (kept.length > 0 ? 1 : 0);
        kept.unshift(unit);
      }
    }
    this.units = kept;
    this.length = keptLength;
    this.carried = kept.length;
  }
}

/** Last whitespace before `max` (not too early), else `max`. */
function cutPoint(text: string, max: number): number {
  const space = text.lastIndexOf(' ', max);
  const newline = text.lastIndexOf('\n', max);
  const at = Math.max(space, newline);
  return at > max / 2 ? at : max;
}

/** Every chunk of a text held in memory. */
export function chunkString(text: string, options?: ChunkingOptions): string[] {
  const chunker = new TextChunker(options);
  return [...chunker.push(text), ...chunker.end()];
}

export type TextSource = string | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/**
 * Chunks a text, a stream of strings or a byte stream (a `Readable`, a file stream; UTF-8, split
 * anywhere): chunks are yielded as they complete, so memory stays bounded by the chunk size.
 */
export async function* chunkText(source: TextSource, options?: ChunkingOptions): AsyncGenerator<string> {
  const chunker = new TextChunker(options);
  if (typeof source === 'string') {
    yield* chunker.push(source);
  } else {
    const decoder = new TextDecoder('utf-8');
    for await (const piece of source as AsyncIterable<string | Uint8Array>) {
      yield* chunker.push(typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true }));
    }
    yield* chunker.push(decoder.decode());
  }
  yield* chunker.end();
}
