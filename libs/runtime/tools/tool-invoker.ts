import { Injectable } from '@nestjs/common';
import type { ToolSpec } from '@personae/pack';
import type { ToolEndpoint } from './tool-endpoints';

export type ToolOutcome = { ok: true; output: string } | { ok: false; error: string };

export interface ToolInvocation {
  tool: ToolSpec;
  endpoint: ToolEndpoint;
  /** The model's arguments, parsed and checked to be a JSON object. */
  arguments: Record<string, unknown>;
  persona: string;
  instanceId: string | null;
  executionId: string;
}

/**
 * Calls a tool's HTTP endpoint: POST {tool, arguments, persona, instance, execution}, answered with
 * JSON or text. The timeout is the smaller of the pack's sandbox limit and the registration's; the
 * output is cut to the sandbox's maxOutputBytes. Failures become a tool result the model can read.
 */
@Injectable()
export class ToolInvoker {
  async invoke(call: ToolInvocation): Promise<ToolOutcome> {
    const timeoutMs = Math.min(call.tool.sandbox.timeoutMs, call.endpoint.timeoutMs);
    try {
      const response = await fetch(call.endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/plain' },
        body: JSON.stringify({
          tool: call.tool.name,
          arguments: call.arguments,
          persona: call.persona,
          instance: call.instanceId,
          execution: call.executionId,
        }),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      const text = await readBounded(response, call.tool.sandbox.maxOutputBytes);
      if (!response.ok)
        return {
          ok: false,
          error: `tool ${call.tool.name} answered ${response.status}: ${text.slice(0, 300)}`,
        };
      return { ok: true, output: text };
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        return { ok: false, error: `tool ${call.tool.name} timed out after ${timeoutMs} ms` };
      return { ok: false, error: `tool ${call.tool.name} failed: ${(error as Error).message}` };
    }
  }
}

/** Reads at most `limit` bytes of the body, then stops reading (leaving the loop cancels the stream). */
async function readBounded(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    size += chunk.byteLength;
    if (size >= limit) break;
  }
  const text = Buffer.concat(chunks).subarray(0, limit).toString('utf8');
  return size > limit ? `${text}\n[output cut at ${limit} bytes]` : text;
}
