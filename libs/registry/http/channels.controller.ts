import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { ChannelQueries } from '../queries/channels.query';
import { PromoteVersion } from '../use-cases/promote-version.use-case';
import { RollbackChannel } from '../use-cases/rollback-channel.use-case';
import { ChannelMoveDto } from './dto/persona-requests.dto';
import { ChannelDto, ChannelListDto } from './dto/version.response';
import { READ_ROLES } from './read-roles';
import { ChannelNamePipe, PersonaNamePipe } from './route-params';
import { channelView } from './views';

/** Channels (dev, prod, custom): what each serves, promote forward, roll back with a record. */
@ApiTags('channels')
@ApiBearerAuth()
@Controller('v1/personas/:name/channels')
export class ChannelsController {
  constructor(
    private readonly channels: ChannelQueries,
    private readonly promoteVersion: PromoteVersion,
    private readonly rollbackChannel: RollbackChannel,
  ) {}

  @Get()
  @Roles(...READ_ROLES)
  @ApiOkResponse({ type: ChannelListDto })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('name', PersonaNamePipe) name: string,
  ): Promise<ChannelListDto> {
    return { name, channels: (await this.channels.list(principal, name)).map(channelView) };
  }

  @Post(':channel/promote')
  @HttpCode(200)
  @Roles('signer')
  @ApiOkResponse({ type: ChannelDto })
  async promote(
    @CurrentPrincipal() principal: Principal,
    @Param('name', PersonaNamePipe) name: string,
    @Param('channel', ChannelNamePipe) channel: string,
    @Body() body: ChannelMoveDto,
  ): Promise<ChannelDto> {
    await this.promoteVersion.execute(principal, { name, channel, ...body });
    return this.channelOf(principal, name, channel);
  }

  @Post(':channel/rollback')
  @HttpCode(200)
  @Roles('signer')
  @ApiOkResponse({ type: ChannelDto })
  async rollback(
    @CurrentPrincipal() principal: Principal,
    @Param('name', PersonaNamePipe) name: string,
    @Param('channel', ChannelNamePipe) channel: string,
    @Body() body: ChannelMoveDto,
  ): Promise<ChannelDto> {
    await this.rollbackChannel.execute(principal, { name, channel, ...body });
    return this.channelOf(principal, name, channel);
  }

  private async channelOf(principal: Principal, name: string, channel: string): Promise<ChannelDto> {
    const state = (await this.channels.list(principal, name)).find((c) => c.channel === channel);
    return channelView(state ?? { channel, current: undefined, history: [] });
  }
}
