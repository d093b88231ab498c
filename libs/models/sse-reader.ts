/**
 * Reads a text/event-stream body and yields the `data` of each event (multi-line data joined by
 * "\n"), per the WHATWG server-sent events rules: lines end in CRLF, LF or CR; a blank line ends an
 * event; `:` lines are comments; other fields (event, id, retry) are not needed here.
 */
export interface SseLimits {
  /** Whole body. */
  maxBytes: number;
  /** One line: a server that never sends a newline must not grow memory without bound. */
  maxLineChars: number;
}

export class SseLimitError extends Error {}

export async function* readSseData(
  body: ReadableStream<Uint8Array>,
  limits: SseLimits,
  onBytes: () => void = () => undefined,
): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let total = 0;
  let data: string[] = [];
  let ended = false;
  const lines = function* (final: boolean): Generator<string> {
    for (;;) {
      const end = buffer.search(/[\r\n]/);
      if (end < 0) return;
      // A CR at the very end may be the first half of a CRLF still on its way.
      if (buffer[end] === '\r' && end === buffer.length - 1 && !final) return;
      const width = buffer[end] === '\r' && buffer[end + 1] === '\n' ? 2 : 1;
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + width);
      yield line;
    }
  };
  const field = (line: string): string | undefined => {
    if (line === '') {
      const event = data.length > 0 ? data.join('\n') : undefined;
      data = [];
      return event;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'data') data.push(value);
    return undefined;
  };
  try {
    while (!ended) {
      const { done, value } = await reader.read();
      if (done) {
        buffer += decoder.decode();
        ended = true;
      } else {
        onBytes();
        total += value.byteLength;
        if (total > limits.maxBytes) throw new SseLimitError(`stream larger than ${limits.maxBytes} bytes`);
        buffer += decoder.decode(value, { stream: true });
      }
      for (const line of lines(ended)) {
        const event = field(line);
        if (event !== undefined) yield event;
      }
      if (buffer.length > limits.maxLineChars)
        throw new SseLimitError(`a stream line is longer than ${limits.maxLineChars} characters`);
    }
    // A last event without its blank line is still an event (lenient, as browsers are not).
    if (buffer !== '') field(buffer);
    if (data.length > 0) yield data.join('\n');
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
