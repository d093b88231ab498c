import { Body, Controller, Get, HttpException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { ExecutePersona } from '../execution/execute-persona.use-case';
import type { ExecutionResult } from '../execution/execution-types';
import { PersonaCatalogue } from '../personas/persona-catalogue';
import { BearerToken } from './bearer-token';
import { serverTiming, SseWriter, statusOf } from './execution-response';
import { REF_PATTERN } from './dto/runtime-requests.dto';
import { parseChatCompletion } from './openai-request';

const FINISH: Record<string, string> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'stop',
  content_filter: 'content_filter',
  other: 'stop',
};

/**
 * OpenAI-compatible endpoints: `model` is a persona ref, so the openai npm client, LangChain and chat
 * UIs run governed personas unchanged. Each call is a stateless execution (the client sends the
 * history) with its signed receipt, named in the `x-personae-receipt-id` header and the `personae`
 * field. Errors, denials included, come in OpenAI's `{ error: { message, type, code } }` shape.
 */
@ApiTags('openai-compatible')
@ApiBearerAuth()
@Roles('orchestrator')
@Controller('v1')
export class OpenAiController {
  constructor(
    private readonly executor: ExecutePersona,
    private readonly catalogue: PersonaCatalogue,
  ) {}

  @Get('models')
  async models(@CurrentPrincipal() principal: Principal, @BearerToken() token: string) {
    const refs = await this.catalogue.refs({ tenantId: principal.tenantId, token });
    return {
      object: 'list',
      data: refs.map((ref) => ({
        id: ref.id,
        object: 'model',
        created: ref.created,
        owned_by: principal.tenantId,
      })),
    };
  }

  /** OpenAI's model retrieval: the ref if this deployment would run it (resolved and verified). */
  @Get('models/:model')
  async model(
    @CurrentPrincipal() principal: Principal,
    @BearerToken() token: string,
    @Param('model') ref: string,
    @Res() response: Response,
  ): Promise<void> {
    // OpenAI answers a model it does not have with 404 model_not_found, whatever its name looks like.
    if (!REF_PATTERN.test(ref)) {
      openAiError(
        response,
        404,
        `unknown persona ref ${ref}: a ref is name.vN or name@channel`,
        'not_found_error',
        'model',
      );
      return;
    }
    try {
      const model = await this.catalogue.model({ tenantId: principal.tenantId, token }, ref);
      response.status(200).json({ ...model, object: 'model', owned_by: principal.tenantId });
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      openAiError(response, error.getStatus(), error.message, typeOf(error.getStatus()), 'model');
    }
  }

  @Post('chat/completions')
  async complete(
    @CurrentPrincipal() principal: Principal,
    @BearerToken() token: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const parsed = parseChatCompletion(body);
    if (!parsed.ok) {
      openAiError(response, 400, `${parsed.field} ${parsed.reason}`, 'invalid_request_error', parsed.field);
      return;
    }
    const chat = parsed.value;
    const abort = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) abort.abort();
    });
    void request;
    const id = `chatcmpl-${Date.now().toString(36)}`;
    const created = Math.floor(Date.now() / 1000);
    const sse = chat.stream ? new SseWriter(response) : undefined;
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model: chat.model,
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    let result: ExecutionResult;
    try {
      result = await this.executor.execute(
        {
          principal,
          token,
          ref: chat.model,
          history: chat.history,
          ...(chat.context ? { context: chat.context } : {}),
          input: chat.input,
          action: 'chat',
          ...(chat.maxTokens ? { maxTokens: chat.maxTokens } : {}),
          ...(chat.temperature !== undefined ? { temperature: chat.temperature } : {}),
          signal: abort.signal,
        },
        sse
          ? {
              content: (text) => {
                if (!sse.isStarted) sse.event(undefined, chunk({ role: 'assistant', content: '' }));
                sse.event(undefined, chunk({ content: text }));
              },
            }
          : undefined,
      );
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      if (sse?.isStarted) {
        sse.event(undefined, { error: { message: error.message, type: 'server_error' } });
        sse.end();
        return;
      }
      openAiError(response, error.getStatus(), error.message, typeOf(error.getStatus()), 'model');
      return;
    }
    if (!response.headersSent) {
      response.setHeader('x-personae-receipt-id', result.receipt.receipt.receiptId);
      response.setHeader('server-timing', serverTiming(result));
    }
    const personae = {
      executionId: result.executionId,
      outcome: result.outcome,
      persona: result.personaRef,
      digest: result.digest,
      receipt: result.receipt,
      decisions: result.decisions,
    };
    if (result.outcome !== 'completed' && !sse?.isStarted) {
      const message = result.denial
        ? `denied (${result.denial.step}): ${result.denial.reasons.join('; ')}`
        : (result.failure?.reason ?? 'failed');
      openAiError(
        response,
        statusOf(result),
        message,
        result.denial ? 'personae_denied' : 'server_error',
        null,
        personae,
      );
      return;
    }
    const usage = {
      prompt_tokens: result.usage.promptTokens,
      completion_tokens: result.usage.completionTokens,
      total_tokens: result.usage.promptTokens + result.usage.completionTokens,
    };
    const finish = result.outcome === 'denied' ? 'content_filter' : (FINISH[result.finishReason] ?? 'stop');
    if (sse) {
      if (!sse.isStarted) sse.event(undefined, chunk({ role: 'assistant', content: '' }));
      if (result.outcome === 'failed') {
        sse.event(undefined, {
          error: { message: result.failure?.reason ?? 'failed', type: 'server_error' },
          personae,
        });
      } else {
        sse.event(undefined, { ...chunk({}, finish), personae });
        if (chat.includeUsage)
          sse.event(undefined, {
            id,
            object: 'chat.completion.chunk',
            created,
            model: chat.model,
            choices: [],
            usage,
          });
      }
      sse.event(undefined, '[DONE]');
      sse.end();
      return;
    }
    response.status(200).json({
      id,
      object: 'chat.completion',
      created,
      model: chat.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: result.content, refusal: null },
          finish_reason: finish,
          logprobs: null,
        },
      ],
      usage,
      personae,
    });
  }
}

function typeOf(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

function openAiError(
  response: Response,
  status: number,
  message: string,
  type: string,
  param: string | null,
  personae?: unknown,
): void {
  response.status(status).json({
    error: { message, type, param, code: status === 404 ? 'model_not_found' : null },
    ...(personae ? { personae } : {}),
  });
}
