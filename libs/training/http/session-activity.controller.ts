import { Body, Controller, Headers, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { FastRoute, sendJson } from '@personae/service-kit';
import type { Response } from 'express';
import type { RecordedEvent } from '../events/training.recorder';
import { AnnotateEventUseCase } from '../use-cases/annotate-event.use-case';
import { RecordPolicyDecisionUseCase } from '../use-cases/record-policy-decision.use-case';
import { RecordToolRunUseCase } from '../use-cases/record-tool-run.use-case';
import { SendMessageUseCase, type ExchangeResult } from '../use-cases/send-message.use-case';
import { AnnotationDto, PolicyDecisionDto, SendMessageDto, ToolRunDto } from './dto/session-requests.dto';
import { streamExchange } from './sse';

/** What a trainer adds to an open session: messages, tool runs, annotations, policy decisions. */
@ApiTags('training')
@ApiBearerAuth()
@Roles('trainer')
@Controller('v1/persona/train/sessions/:id')
export class SessionActivityController {
  constructor(
    private readonly messages: SendMessageUseCase,
    private readonly toolRuns: RecordToolRunUseCase,
    private readonly annotations: AnnotateEventUseCase,
    private readonly decisions: RecordPolicyDecisionUseCase,
  ) {}

  /** JSON answer by default; server-sent events with `stream: true` or `Accept: text/event-stream`. */
  @Post('messages')
  @FastRoute()
  @ApiProduces('application/json', 'text/event-stream')
  async message(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: SendMessageDto,
    @Headers('accept') accept: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    if (body.stream || /text\/event-stream/.test(accept ?? '')) {
      const abort = new AbortController();
      response.on('close', () => abort.abort());
      await streamExchange(response, this.messages.stream(principal, id, body.content, abort.signal));
      return;
    }
    const result: ExchangeResult = await this.messages.execute(principal, id, body.content);
    sendJson(response, 201, result);
  }

  @Post('tool-runs')
  @FastRoute()
  toolRun(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ToolRunDto,
  ): Promise<RecordedEvent & { runId: string }> {
    return this.toolRuns.execute(principal, id, body);
  }

  @Post('annotations')
  @FastRoute()
  annotate(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AnnotationDto,
  ): Promise<RecordedEvent & { annotationId: string }> {
    return this.annotations.execute(principal, id, body);
  }

  @Post('policy-decisions')
  @FastRoute()
  policyDecision(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: PolicyDecisionDto,
  ): Promise<RecordedEvent & { decisionId: string }> {
    return this.decisions.execute(principal, id, body);
  }
}
