import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { ToolEndpoints } from '../tools/tool-endpoints';
import { RegisterToolDto } from './dto/runtime-requests.dto';

/**
 * Deployers register the HTTP endpoints that implement pack tools. A registration only makes a tool
 * runnable; a persona reaches it only when the tool is in its sealed bundle and governance allows it.
 */
@ApiTags('runtime')
@ApiBearerAuth()
@Roles('orchestrator', 'admin')
@Controller('v1/runtime/tools')
export class ToolsController {
  constructor(private readonly tools: ToolEndpoints) {}

  @Post()
  register(@CurrentPrincipal() principal: Principal, @Body() body: RegisterToolDto) {
    return this.tools.register(principal.tenantId, body, principal.subject);
  }

  @Get()
  async list(@CurrentPrincipal() principal: Principal) {
    return { tools: await this.tools.list(principal.tenantId) };
  }

  @Delete(':name')
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('name') name: string): Promise<void> {
    if (!(await this.tools.remove(principal.tenantId, name)))
      throw new NotFoundException(`no tool ${name.slice(0, 64)}`);
  }
}
