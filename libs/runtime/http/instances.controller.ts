import { BadRequestException, Body, Controller, Delete, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { Instances } from '../sessions/instances.use-case';
import { BearerToken } from './bearer-token';
import {
  CreateInstanceDto,
  ListInstancesQueryDto,
  MemoryQueryDto,
  SetStateDto,
  SwapDto,
  TerminateDto,
} from './dto/runtime-requests.dto';
import { UuidPipe } from './uuid.pipe';
import { instanceView } from './views';

const MAX_STATE_BYTES = 64 * 1024;

/** Persona instances: each with its own memory (history and state) that no other instance can read. */
@ApiTags('runtime')
@ApiBearerAuth()
@Roles('orchestrator')
@Controller('v1/runtime/instances')
export class InstancesController {
  constructor(private readonly instances: Instances) {}

  @Post()
  async create(
    @CurrentPrincipal() principal: Principal,
    @BearerToken() token: string,
    @Body() body: CreateInstanceDto,
  ) {
    return instanceView(await this.instances.create(principal, token, body));
  }

  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListInstancesQueryDto) {
    const limit = query.limit ?? 20;
    const offset = query.offset ?? 0;
    const page = await this.instances.list(principal, { ...query, limit, offset });
    return { items: page.items.map(instanceView), total: page.total, limit, offset };
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    return instanceView(await this.instances.get(principal, id));
  }

  @Delete(':id')
  async terminate(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: TerminateDto,
  ) {
    return instanceView(
      await this.instances.terminate(principal, id, body.reason ?? 'terminated by the caller'),
    );
  }

  @Post(':id/swap')
  async swap(
    @CurrentPrincipal() principal: Principal,
    @BearerToken() token: string,
    @Param('id', UuidPipe) id: string,
    @Body() body: SwapDto,
  ) {
    const swapped = await this.instances.swap(principal, token, id, body.to, body.memory);
    return {
      swapId: swapped.swapId,
      from: swapped.from,
      to: swapped.to.ref,
      instance: instanceView(swapped.instance),
    };
  }

  /** The instance's own memory: the current epoch's messages and its state. */
  @Get(':id/memory')
  memory(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Query() query: MemoryQueryDto,
  ) {
    return this.instances.memory(principal, id, query.limit ?? 200);
  }

  @Put(':id/state')
  async setState(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: SetStateDto,
  ) {
    if (Buffer.byteLength(JSON.stringify(body.state)) > MAX_STATE_BYTES)
      throw new BadRequestException({
        message: `state is larger than ${MAX_STATE_BYTES} bytes`,
        errors: [{ field: 'state', reason: `at most ${MAX_STATE_BYTES} bytes of JSON` }],
      });
    const instance = await this.instances.setState(principal, id, body.state);
    return { instanceId: instance.id, state: instance.state };
  }
}
