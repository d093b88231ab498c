import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { SessionQueries } from '../queries/sessions.query';
import { CloseSessionUseCase } from '../use-cases/close-session.use-case';
import { StartSessionUseCase } from '../use-cases/start-session.use-case';
import { BearerToken } from './bearer-token.decorator';
import {
  CloseSessionDto,
  ListSessionsQueryDto,
  StartSessionDto,
  TimelineQueryDto,
} from './dto/session-requests.dto';
import { sessionView, type SessionDetailView, type SessionView } from './views';

/** Start and close sessions; read one with its timeline; list them. */
@ApiTags('training')
@ApiBearerAuth()
@Controller('v1/persona/train')
export class TrainingSessionsController {
  constructor(
    private readonly start: StartSessionUseCase,
    private readonly close: CloseSessionUseCase,
    private readonly queries: SessionQueries,
  ) {}

  @Post('start')
  @Roles('trainer')
  async startSession(
    @CurrentPrincipal() principal: Principal,
    @BearerToken() token: string,
    @Body() body: StartSessionDto,
  ): Promise<{ sessionId: string; session: SessionView }> {
    const session = await this.start.execute(principal, token, body);
    return { sessionId: session.id, session: sessionView(session) };
  }

  @Post('close')
  @Roles('trainer')
  @HttpCode(200)
  async closeSession(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CloseSessionDto,
  ): Promise<{ session: SessionView; closedEventId: string }> {
    const closed = await this.close.execute(principal, body.sessionId, body.reason);
    return { session: sessionView(closed.session), closedEventId: closed.closedEvent.id };
  }

  @Get('sessions')
  @Roles('trainer', 'auditor')
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListSessionsQueryDto,
  ): Promise<{ sessions: SessionView[]; next?: string }> {
    return this.queries.list(principal, {
      personaName: query.persona,
      trainerId: query.trainer,
      state: query.state,
      before: query.before,
      limit: query.limit ?? 20,
    });
  }

  @Get('sessions/:id')
  @Roles('trainer', 'auditor')
  detail(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: TimelineQueryDto,
  ): Promise<SessionDetailView> {
    return this.queries.detail(principal, id, query.after, query.limit);
  }
}
