import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseIntPipe,
  Post,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { constitutionDocument, CONSTITUTION_VERSION } from '@personae/policy';
import { Type } from '@sinclair/typebox';
import { GovernanceQueries } from '../queries/governance.queries';
import { TenantPolicies } from '../store/tenant-policies';
import { ActivatePolicy } from '../use-cases/activate-policy.use-case';
import { SavePolicy } from '../use-cases/save-policy.use-case';
import { validBody } from './body';

const SavePolicyBody = Type.Object(
  { document: Type.Unknown(), activate: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

/**
 * Tenant policies: immutable versions with an active pointer. Admins write; auditors read; the runtime
 * (orchestrator) reads the active one to decide in process. The constitution is readable by everyone.
 */
@ApiTags('governance')
@ApiBearerAuth()
@Controller('v1/governance/policies')
export class PoliciesController {
  constructor(
    private readonly save: SavePolicy,
    private readonly activation: ActivatePolicy,
    private readonly queries: GovernanceQueries,
    private readonly policies: TenantPolicies,
  ) {}

  @Get()
  @Roles('admin', 'auditor', 'orchestrator')
  list(@CurrentPrincipal() principal: Principal) {
    return this.queries.policyVersions(principal);
  }

  @Get('constitution')
  constitution() {
    return { version: CONSTITUTION_VERSION, document: constitutionDocument() };
  }

  @Get('active')
  @Roles('admin', 'auditor', 'orchestrator')
  async active(@CurrentPrincipal() principal: Principal) {
    const active = await this.policies.active(principal);
    if (!active)
      throw new NotFoundException('the tenant has no active policy: only the constitution applies');
    return { version: active.version, label: active.label, document: active.document };
  }

  @Get('versions/:version')
  @Roles('admin', 'auditor', 'orchestrator')
  version(@CurrentPrincipal() principal: Principal, @Param('version', ParseIntPipe) version: number) {
    return this.queries.policyVersion(principal, version);
  }

  @Post()
  @Roles('admin')
  async create(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    const { document, activate } = validBody(SavePolicyBody, body);
    const saved = await this.save.execute(principal, document, activate ?? true);
    return { ...saved, active: activate ?? true };
  }

  @Post('versions/:version/activate')
  @HttpCode(200)
  @Roles('admin')
  activate(@CurrentPrincipal() principal: Principal, @Param('version', ParseIntPipe) version: number) {
    return this.activation.activate(principal, version);
  }

  @Delete('active')
  @HttpCode(204)
  @Roles('admin')
  async deactivate(@CurrentPrincipal() principal: Principal): Promise<void> {
    if (!(await this.activation.deactivate(principal)))
      throw new NotFoundException('the tenant has no active policy');
  }
}
