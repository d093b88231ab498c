import { Body, Controller, HttpCode, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { PII_REDACTION_MODES, PII_TYPES } from '@personae/pack';
import { redactPii } from '@personae/pii';
import { Type } from '@sinclair/typebox';
import { DecideBodySchema, DryRunBodySchema, MAX_DECIDE_TEXT } from '../domain/decide-body.schema';
import { DecideAction } from '../use-cases/decide.use-case';
import { DryRun } from '../use-cases/dry-run.use-case';
import { validBody } from './body';
import { BearerToken } from './bearer-token.decorator';

const RedactBody = Type.Object(
  {
    text: Type.String({ maxLength: MAX_DECIDE_TEXT }),
    mode: Type.Optional(Type.Union(PII_REDACTION_MODES.map((m) => Type.Literal(m)))),
    types: Type.Optional(
      Type.Array(Type.Union(PII_TYPES.map((t) => Type.Literal(t))), { maxItems: PII_TYPES.length }),
    ),
  },
  { additionalProperties: false },
);

/** Decisions: the runtime asks (decide), admins and auditors try policies out (dry-run). */
@ApiTags('governance')
@ApiBearerAuth()
@Controller('v1/governance')
export class DecisionsController {
  constructor(
    private readonly decideAction: DecideAction,
    private readonly dryRun: DryRun,
  ) {}

  @Post('decide')
  @HttpCode(200)
  @Roles('orchestrator')
  decide(@CurrentPrincipal() principal: Principal, @BearerToken() token: string, @Body() body: unknown) {
    return this.decideAction.execute(principal, token, validBody(DecideBodySchema, body));
  }

  @Post('dry-run')
  @HttpCode(200)
  @Roles('admin', 'auditor')
  async dryRunPolicy(
    @CurrentPrincipal() principal: Principal,
    @BearerToken() token: string,
    @Body() body: unknown,
    @Query('version', new ParseIntPipe({ optional: true })) version?: number,
  ) {
    return this.dryRun.execute(principal, token, validBody(DryRunBodySchema, body), version);
  }

  /** Redacts one text (a model answer, a log line) the way decide does; findings carry no text. */
  @Post('redact')
  @HttpCode(200)
  @Roles('orchestrator', 'trainer')
  redact(@Body() body: unknown) {
    const { text, mode, types } = validBody(RedactBody, body);
    return redactPii(text, { mode: mode ?? 'mask', ...(types ? { types } : {}) });
  }
}
