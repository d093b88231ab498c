/** Target chunk size in characters; a chunk ends at a paragraph, sentence or word boundary when it can. */
export const CHUNK_CHARS = 1200;
const MIN_CUT = Math.floor(CHUNK_CHARS * 0.6);

/**
 * Splits a stream of text pieces into chunks while it streams: memory holds one chunk plus one
 * piece, whatever the document's size. Whitespace is tidied; empty chunks are not emitted.
 */
export async function* chunkStream(pieces: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
  let buffer = '';
  for await (const piece of pieces) {
    buffer += piece;
    while (buffer.length >= CHUNK_CHARS * 1.5) {
      const cut = cutPoint(buffer);
      const chunk = tidyChunk(buffer.slice(0, cut));
      buffer = buffer.slice(cut);
      if (chunk) yield chunk;
    }
  }
  while (buffer.length > 0) {
    const cut = buffer.length <= CHUNK_CHARS ? buffer.length : cutPoint(buffer);
    const chunk = tidyChunk(buffer.slice(0, cut));
    buffer = buffer.slice(cut);
    if (chunk) yield chunk;
  }
}

function cutPoint(text: string): number {
  const window = text.slice(0, CHUNK_CHARS);
  for (const boundary of ['\n\n', '. ', '\n', ' ']) {
    const at = window.lastIndexOf(boundary);
    if (at >= MIN_CUT) return at + boundary.length;
  }
  return CHUNK_CHARS;
}

function tidyChunk(text: string): string {
  return text
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
