import type { Response } from 'express';
import type { ExchangeChunk } from '../use-cases/send-message.use-case';

/**
 * Writes an exchange as server-sent events: `trainer` (the recorded turn), `delta` (reply text), `agent`
 * (the recorded reply), or `error`. The first chunk is awaited before any header is sent, so a refusal
 * (unknown or closed session, oversized message) is still an ordinary 4xx JSON answer.
 */
export async function streamExchange(
  response: Response,
  exchange: AsyncGenerator<ExchangeChunk>,
): Promise<void> {
  const first = await exchange.next();
  response.status(200);
  response.setHeader('content-type', 'text/event-stream; charset=utf-8');
  response.setHeader('cache-control', 'no-cache, no-transform');
  response.setHeader('x-accel-buffering', 'no');
  response.flushHeaders();
  const send = (chunk: ExchangeChunk): void => {
    const { type, ...data } = chunk;
    response.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  try {
    if (!first.done) send(first.value);
    for await (const chunk of exchange) {
      if (response.destroyed) break;
      send(chunk);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!response.destroyed) response.write(`event: error\ndata: ${JSON.stringify({ message })}\n\n`);
  } finally {
    response.end();
  }
}
