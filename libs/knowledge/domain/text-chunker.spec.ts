import { Readable } from 'node:stream';
import { chunkString, chunkText, TextChunker } from './text-chunker';

const sentence = (i: number): string => `Sentence number ${i} talks about topic ${i % 7} in some detail.`;

async function collect(source: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of source) out.push(chunk);
  return out;
}

describe('text chunker', () => {
  it('keeps short text as one chunk with whitespace collapsed', () => {
    expect(chunkString('  Hello   world.\n\nSecond\tparagraph here.  ')).toEqual([
      'Hello world. Second paragraph here.',
    ]);
    expect(chunkString('   \n\n ')).toEqual([]);
  });

  it('cuts along sentences within the size and repeats the last sentences as overlap', () => {
    const text = Array.from({ length: 60 }, (_, i) => sentence(i)).join(' ');
    const chunks = chunkString(text, { maxChars: 300, overlapChars: 80 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(300);
      expect(chunk).toMatch(/^Sentence number \d+/);
      expect(chunk).toMatch(/detail\.$/);
    }
    // Each chunk after the first starts with the previous chunk's last sentence.
    for (let i = 1; i < chunks.length; i++) {
      const last = chunks[i - 1]!.split(/(?<=\.) /).pop()!;
      expect(chunks[i]!.startsWith(last)).toBe(true);
    }
    // Nothing is lost: every sentence is in some chunk.
    for (let i = 0; i < 60; i++) expect(chunks.some((c) => c.includes(sentence(i)))).toBe(true);
  });

  it('ends a well-filled chunk at a paragraph break', () => {
    const first = Array.from({ length: 10 }, (_, i) => sentence(i)).join(' ');
    const second = Array.from({ length: 3 }, (_, i) => sentence(100 + i)).join(' ');
    const chunks = chunkString(`${first}\n\n${second}`, { maxChars: 800, overlapChars: 100 });
    expect(chunks).toEqual([first, second]);
  });

  it('cuts a long stretch without sentence ends at spaces, never past the size', () => {
    const words = Array.from({ length: 2000 }, (_, i) => `w${i}`).join(' ');
    const chunks = chunkString(words, { maxChars: 200, overlapChars: 0 });
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(200);
    expect(chunks.join(' ')).toBe(words);
    const unbroken = 'x'.repeat(1000);
    expect(chunkString(unbroken, { maxChars: 300, overlapChars: 0 }).join('')).toBe(unbroken);
  });

  it('gives the same chunks however the input is split, UTF-8 bytes cut mid-character included', async () => {
    const text = Array.from({ length: 40 }, (_, i) => `Ünïcödé ${sentence(i)} 🧬 Ωmega.`).join('\n\n');
    const whole = chunkString(text, { maxChars: 250, overlapChars: 60 });
    const bytes = Buffer.from(text, 'utf8');
    const pieces: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 7) pieces.push(bytes.subarray(i, i + 7));
    expect(await collect(chunkText(Readable.from(pieces), { maxChars: 250, overlapChars: 60 }))).toEqual(
      whole,
    );
    const strings = text.match(/[\s\S]{1,13}/g)!;
    expect(await collect(chunkText(strings, { maxChars: 250, overlapChars: 60 }))).toEqual(whole);
  });

  it('refuses sizes that cannot work', () => {
    expect(() => new TextChunker({ maxChars: 10 })).toThrow(/maxChars/);
    expect(() => new TextChunker({ maxChars: 100, overlapChars: 60 })).toThrow(/overlapChars/);
  });

  it('chunks a 200 MB stream with bounded memory, yielding chunks as it reads', async () => {
    const piece = `${Array.from({ length: 20 }, (_, i) => sentence(i)).join(' ')}\n\n`;
    const pieceBytes = Buffer.byteLength(piece);
    const total = 200 * 1024 * 1024;
    const pieces = Math.ceil(total / pieceBytes);
    let produced = 0;
    let maxLag = 0;
    let chunks = 0;
    async function* source(): AsyncGenerator<Buffer> {
      for (let i = 0; i < pieces; i++) {
        produced++;
        // 64 KiB buffers, like a file stream.
        yield Buffer.from(piece.repeat(Math.max(1, Math.floor(65536 / pieceBytes))));
      }
    }
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let readBytes = 0;
    let lastProduced = 0;
    for await (const chunk of chunkText(source(), { maxChars: 1000, overlapChars: 150 })) {
      chunks++;
      readBytes += chunk.length;
      maxLag = Math.max(maxLag, produced - lastProduced);
      lastProduced = produced;
      if (chunks % 5000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      if (readBytes > total) break;
    }
    // Chunks arrive while the source is read (a few pieces at a time), never all at the end.
    expect(maxLag).toBeLessThanOrEqual(2);
    expect(chunks).toBeGreaterThan(150_000);
    // The input is 200 MB; the chunker's heap growth stays a small fraction of it.
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
  }, 120_000);
});
