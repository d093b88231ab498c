import { BadRequestException, Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { Instances } from '../sessions/instances.use-case';
import { BearerToken } from './bearer-token';
import { CreateSessionDto, SessionSwapDto } from './dto/runtime-requests.dto';
import { UuidPipe } from './uuid.pipe';
import { instanceView, sessionView } from './views';

/** Sessions: a conversation that may run several personas, one after another or side by side. */
@ApiTags('runtime')
@ApiBearerAuth()
@Roles('orchestrator')
@Controller('v1/runtime/sessions')
export class SessionsController {
  constructor(private readonly instances: Instances) {}

  @Post()
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateSessionDto) {
    return sessionView(await this.instances.createSession(principal, body.label ?? ''));
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    const session = await this.instances.session(principal, id);
    const { items } = await this.instances.list(principal, { sessionId: id, limit: 100, offset: 0 });
    return { ...sessionView(session), instances: items.map(instanceView) };
  }

  /** Swaps the persona of the session's live instance (or the one named). */
  @Post(':id/swap')
  async swap(
    @CurrentPrincipal() principal: Principal,
    @BearerToken() token: string,
    @Param('id', UuidPipe) id: string,
    @Body() body: SessionSwapDto,
  ) {
    await this.instances.session(principal, id);
    let instanceId = body.instanceId;
    if (!instanceId) {
      const { items } = await this.instances.list(principal, {
        sessionId: id,
        status: 'active',
        limit: 2,
        offset: 0,
      });
      if (items.length !== 1)
        throw new BadRequestException({
          message: `the session has ${items.length} live instances: name one with instanceId`,
          errors: [
            { field: 'instanceId', reason: 'required when the session has no or several live instances' },
          ],
        });
      instanceId = items[0]!.id;
    } else {
      const instance = await this.instances.get(principal, instanceId);
      if (instance.sessionId !== id)
        throw new BadRequestException(`instance ${instanceId} is not in session ${id}`);
    }
    const swapped = await this.instances.swap(principal, token, instanceId, body.to, body.memory);
    return {
      swapId: swapped.swapId,
      from: swapped.from,
      to: swapped.to.ref,
      instance: instanceView(swapped.instance),
    };
  }
}
