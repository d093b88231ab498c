import { Body, Controller, HttpException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { FastRoute, sendJson } from '@personae/service-kit';
import { ExecutePersona } from '../execution/execute-persona.use-case';
import { BearerToken } from './bearer-token';
import { ExecuteDto } from './dto/runtime-requests.dto';
import { executionView, serverTiming, SseWriter, statusOf } from './execution-response';
import { UuidPipe } from './uuid.pipe';

/**
 * `POST /v1/runtime/instances/:id/execute`: one governed request. JSON, or server-sent events with
 * `stream: true` (or `Accept: text/event-stream`): `delta` events with text, `tool` events, then one
 * `done` event with the whole result and its receipt (`error` if it failed after streaming began).
 */
@ApiTags('runtime')
@ApiBearerAuth()
@Roles('orchestrator')
@Controller('v1/runtime/instances')
export class ExecuteController {
  constructor(private readonly executor: ExecutePersona) {}

  @Post(':id/execute')
  @FastRoute()
  async execute(
    @CurrentPrincipal() principal: Principal,
    @BearerToken() token: string,
    @Param('id', UuidPipe) id: string,
    @Body() body: ExecuteDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const stream = body.stream ?? (request.headers.accept ?? '').includes('text/event-stream');
    const abort = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) abort.abort();
    });
    const executionRequest = {
      principal,
      token,
      instanceId: id,
      input: body.input,
      action: body.action ?? 'chat',
      ...(body.maxTokens ? { maxTokens: body.maxTokens } : {}),
      signal: abort.signal,
    };
    if (!stream) {
      const result = await this.executor.execute(executionRequest);
      response.setHeader('server-timing', serverTiming(result));
      sendJson(response, statusOf(result), executionView(result));
      return;
    }
    const sse = new SseWriter(response);
    try {
      const result = await this.executor.execute(executionRequest, {
        content: (text) => sse.event('delta', { text }),
        tool: (event) => sse.event('tool', event),
      });
      if (!sse.isStarted && result.outcome !== 'completed') {
        response.status(statusOf(result)).json(executionView(result));
        return;
      }
      sse.event(result.outcome === 'failed' ? 'error' : 'done', executionView(result));
      sse.end();
    } catch (error) {
      if (!sse.isStarted) throw error;
      const message = error instanceof HttpException ? error.message : 'internal error';
      sse.event('error', { message });
      sse.end();
    }
  }
}
