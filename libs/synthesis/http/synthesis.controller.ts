import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { RunSynthesis } from '../use-cases/run-synthesis.use-case';

/** Read side of the pipeline: a session's run, with the deterministic draft and its report. */
@ApiTags('synthesis')
@Controller('v1/synthesis')
export class SynthesisController {
  constructor(private readonly runner: RunSynthesis) {}

  @Get('sessions/:sessionId')
  @Roles('trainer', 'reviewer', 'auditor')
  @ApiOkResponse({
    description:
      "The session's synthesis run: state, draft id, summary, contradictions, findings and the deterministic pack",
  })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('sessionId', new ParseUUIDPipe({ version: undefined })) sessionId: string,
  ): Promise<Record<string, unknown>> {
    const run = await this.runner.runs.get(sessionId, principal.tenantId);
    if (!run) throw new NotFoundException(`no synthesis run for session ${sessionId}`);
    return {
      sessionId: run.sessionId,
      state: run.state,
      step: run.step,
      attempts: run.attempts,
      error: run.error ?? undefined,
      draftId: run.draftId ?? undefined,
      packDigest: run.packDigest ?? undefined,
      baseRef: run.base?.ref,
      summary: run.result?.summary,
      empty: run.result?.empty,
      contradictions: run.result?.contradictions ?? [],
      findings: run.result?.findings ?? [],
      changes: run.result?.changes ?? [],
      rewritten: Boolean(run.rewrite && 'system' in run.rewrite),
      /** The deterministic draft, also when a model rewrote the prompt of the saved one. */
      deterministicPack: run.result?.pack,
    };
  }
}
