import { CHUNK_CHARS, chunkStream } from './stream-chunker';

describe('chunkStream', () => {
  it('chunks while it streams: never more than one chunk and one piece ahead of what it emitted', async () => {
    const pieceSize = 64 * 1024;
    const pieces = 160; // 10 MiB of text, generated lazily
    let pulled = 0;
    let pulledChars = 0;
    async function* source(): AsyncGenerator<string> {
      for (let i = 0; i < pieces; i++) {
        const piece = `Paragraph ${i}. ${'The chaperone BiP binds unfolded proteins. '.repeat(2000)}`.slice(
          0,
          pieceSize,
        );
        pulled += 1;
        pulledChars += piece.length;
        yield piece;
      }
    }
    let emittedChars = 0;
    let chunks = 0;
    let worstLead = 0;
    for await (const chunk of chunkStream(source())) {
      chunks += 1;
      emittedChars += chunk.length;
      expect(chunk.length).toBeLessThanOrEqual(CHUNK_CHARS);
      // Read but not emitted yet (less the space trimmed at each cut): at most a piece and a chunk or so.
      worstLead = Math.max(worstLead, pulledChars - emittedChars - chunks);
    }
    expect(pulled).toBe(pieces);
    expect(chunks).toBeGreaterThan((pieces * pieceSize) / CHUNK_CHARS - 1);
    expect(worstLead).toBeLessThan(pieceSize + 2 * CHUNK_CHARS);
  });

  it('cuts at paragraph or sentence boundaries and drops empty chunks', async () => {
    const text = `${'First paragraph sentence. '.repeat(30)}\n\n${'Second one. '.repeat(80)}\n\n\n\n   `;
    const chunks: string[] = [];
    for await (const chunk of chunkStream([text])) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk).toBe(chunk.trim());
      expect(chunk.endsWith('.')).toBe(true);
    }
    expect(chunks.join(' ').replace(/\s+/g, ' ')).toBe(text.trim().replace(/\s+/g, ' '));
  });

  it('emits nothing for whitespace', async () => {
    const chunks: string[] = [];
    for await (const chunk of chunkStream(['  \n\n ', '\t'])) chunks.push(chunk);
    expect(chunks).toEqual([]);
  });
});
