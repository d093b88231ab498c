import type { Principal } from '@personae/auth';
import {
  ModelError,
  type ChatMessage,
  type FinishReason,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type ToolDefinition,
} from '@personae/models';
import type { ToolSpec } from '@personae/pack';
import { toolArgumentProblems } from '../domain/tool-arguments';
import type { ReceiptDecision } from '../domain/compliance-receipt';
import { functionNameOf, functionTable } from '../domain/tool-names';
import type { VerifiedPersona } from '../personas/verified-persona';
import type { ToolEndpoint } from '../tools/tool-endpoints';
import type { ToolInvoker } from '../tools/tool-invoker';
import type { ExecutedToolCall } from './execution-types';

/** Rounds of model → tools → model before the runtime stops asking. */
export const MAX_TOOL_ROUNDS = 4;

export interface TurnsInput {
  models: ModelProvider;
  request: ModelRequest;
  persona: VerifiedPersona;
  principal: Principal;
  endpoints: ReadonlyMap<string, ToolEndpoint>;
  invoker: ToolInvoker;
  /** The governance verdict on one tool call (the bundle check is done here, before it). */
  decideTool: (tool: string) => ReceiptDecision;
  instanceId: string | null;
  executionId: string;
  /** Streaming: deltas go here as they come. */
  onContent?: (text: string) => void;
  onTool?: (event: { name: string; outcome: 'ok' | 'refused' | 'failed'; reason?: string }) => void;
  /**
   * Before each model call after the first (the model answering its tools' results): the most that call
   * may write (max_tokens), or a denial that ends the turns without it (the budget cannot pay for it).
   */
  beforeFollowUp?: (
    messages: readonly ChatMessage[],
  ) => Promise<{ maxTokens: number } | { denied: ReceiptDecision }>;
}

export interface ModelCallUsage {
  model: string;
  promptTokens: number;
  completionTokens: number;
}

export interface TurnsResult {
  content: string;
  finishReason: FinishReason;
  model: string;
  provider: string;
  promptTokens: number;
  completionTokens: number;
  /** Each model call's tokens and the model (as the pack names it: primary or fallback) that answered it. */
  calls: ModelCallUsage[];
  /** Set when `beforeFollowUp` denied the next call: the turns ended after tools ran, without an answer. */
  stopped?: ReceiptDecision;
  estimated: boolean;
  /** Messages to remember after the user's input: tool calls, their results, the answer. */
  transcript: ChatMessage[];
  toolCalls: ExecutedToolCall[];
  decisions: ReceiptDecision[];
}

/** The tools the model is shown: the persona's bundle, only those a deployer has an endpoint for. */
export function offeredTools(
  tools: readonly ToolSpec[],
  endpoints: ReadonlyMap<string, ToolEndpoint>,
): ToolDefinition[] {
  return tools
    .filter((tool) => endpoints.has(tool.name))
    .map((tool) => ({
      name: functionNameOf(tool.name),
      description: tool.description,
      parameters: tool.inputSchema,
    }));
}

/**
 * Calls the model, runs the tool calls it asks for (each one checked: in this persona's bundle,
 * registered, allowed by governance), feeds the results back, until it answers or MAX_TOOL_ROUNDS.
 * A call outside the bundle never runs: the model gets a refusal as the tool's result.
 */
export async function runTurns(input: TurnsInput): Promise<TurnsResult> {
  const bundle = new Map(input.persona.pack.spec.tools.map((tool) => [tool.name, tool]));
  const byFunction = functionTable([...bundle.keys()]);
  const messages = [...input.request.messages];
  const transcript: ChatMessage[] = [];
  const toolCalls: ExecutedToolCall[] = [];
  const decisions: ReceiptDecision[] = [];
  let promptTokens = 0;
  let completionTokens = 0;
  const calls: ModelCallUsage[] = [];
  let estimated = false;
  let response: ModelResponse | undefined;
  let stopped: ReceiptDecision | undefined;

  for (let round = 0; round <= MAX_TOOL_ROUNDS; round++) {
    let request: ModelRequest = {
      ...input.request,
      messages,
      ...(round === MAX_TOOL_ROUNDS ? { tools: undefined } : {}),
    };
    if (round > 0 && input.beforeFollowUp) {
      const next = await input.beforeFollowUp(messages);
      if ('denied' in next) {
        stopped = next.denied;
        decisions.push(next.denied);
        break;
      }
      request = withMaxTokens(request, next.maxTokens);
    }
    response = input.onContent
      ? await streamOnce(input.models, request, input.onContent)
      : await input.models.complete(request);
    promptTokens += response.usage.promptTokens;
    completionTokens += response.usage.completionTokens;
    calls.push({
      // The router's last attempt is the model that answered; a provider may name it otherwise.
      model: response.attempts?.at(-1)?.model ?? request.model,
      promptTokens: response.usage.promptTokens,
      completionTokens: response.usage.completionTokens,
    });
    estimated ||= response.usage.estimated;
    if (response.toolCalls.length === 0) break;

    const assistant: ChatMessage = {
      role: 'assistant',
      content: response.content,
      toolCalls: response.toolCalls,
    };
    messages.push(assistant);
    transcript.push(assistant);
    for (const call of response.toolCalls) {
      const executed = await runTool(input, bundle, byFunction, call, decisions);
      toolCalls.push(executed.record);
      input.onTool?.({
        name: executed.record.tool,
        outcome: executed.record.outcome,
        ...(executed.record.reason ? { reason: executed.record.reason } : {}),
      });
      const result: ChatMessage = { role: 'tool', content: executed.content, toolCallId: call.id };
      messages.push(result);
      transcript.push(result);
    }
  }
  const final = response!;
  if (!stopped) transcript.push({ role: 'assistant', content: final.content });
  return {
    content: final.content,
    finishReason: final.finishReason,
    model: final.model,
    provider: final.provider,
    promptTokens,
    completionTokens,
    calls,
    ...(stopped ? { stopped } : {}),
    estimated,
    transcript,
    toolCalls,
    decisions,
  };
}

async function runTool(
  input: TurnsInput,
  bundle: ReadonlyMap<string, ToolSpec>,
  byFunction: ReadonlyMap<string, string>,
  call: { id: string; name: string; arguments: string },
  decisions: ReceiptDecision[],
): Promise<{ content: string; record: ExecutedToolCall }> {
  const toolName = byFunction.get(call.name);
  const refuse = (tool: string, reason: string): { content: string; record: ExecutedToolCall } => {
    decisions.push({ step: `tool:${tool}`, effect: 'deny', ruleIds: [], reasons: [reason] });
    return { content: `error: ${reason}`, record: { ...call, tool, outcome: 'refused', reason } };
  };
  if (!toolName) return refuse(call.name, `tool "${call.name}" is not in the bundle of ${input.persona.ref}`);
  const spec = bundle.get(toolName)!;
  const endpoint = input.endpoints.get(toolName);
  if (!endpoint) return refuse(toolName, `tool ${toolName} has no registered endpoint`);
  const decision = input.decideTool(toolName);
  decisions.push(decision);
  if (decision.effect !== 'allow')
    return refuse(toolName, decision.reasons.join('; ') || `governance: ${decision.effect}`);
  let args: unknown;
  try {
    args = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch {
    return refuse(toolName, `the arguments for ${toolName} are not JSON`);
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args))
    return refuse(toolName, `the arguments for ${toolName} must be a JSON object`);
  // The model is not trusted to respect the schema it was shown: the sealed one is enforced.
  const problems = toolArgumentProblems(spec.inputSchema, args as Record<string, unknown>);
  if (problems.length > 0)
    return refuse(
      toolName,
      `the arguments for ${toolName} do not fit its input schema: ${problems.join('; ')}`,
    );
  const outcome = await input.invoker.invoke({
    tool: spec,
    endpoint,
    arguments: args as Record<string, unknown>,
    persona: input.persona.ref,
    instanceId: input.instanceId,
    executionId: input.executionId,
  });
  if (!outcome.ok)
    return {
      content: `error: ${outcome.error}`,
      record: { ...call, tool: toolName, outcome: 'failed', reason: outcome.error },
    };
  return { content: outcome.output, record: { ...call, tool: toolName, outcome: 'ok' } };
}

async function streamOnce(
  models: ModelProvider,
  request: ModelRequest,
  onContent: (text: string) => void,
): Promise<ModelResponse> {
  for await (const chunk of models.stream(request)) {
    if (chunk.type === 'content') onContent(chunk.text);
    else return chunk.response;
  }
  throw new ModelErrorLike('the model stream ended without a response');
}

class ModelErrorLike extends Error {}

export function isModelFailure(error: unknown): boolean {
  return error instanceof ModelError || error instanceof ModelErrorLike;
}

/** The request with max_tokens lowered to `maxTokens`, for its fallbacks too. */
function withMaxTokens(request: ModelRequest, maxTokens: number): ModelRequest {
  return {
    ...request,
    maxTokens: Math.min(request.maxTokens ?? maxTokens, maxTokens),
    ...(request.fallbacks
      ? {
          fallbacks: request.fallbacks.map((f) => ({
            ...f,
            maxTokens: Math.min(f.maxTokens ?? maxTokens, maxTokens),
          })),
        }
      : {}),
  };
}
