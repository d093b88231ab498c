import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { Type } from '@sinclair/typebox';
import type { ApprovalState } from '../domain/approval';
import { GovernanceQueries } from '../queries/governance.queries';
import { ResolveApproval } from '../use-cases/resolve-approval.use-case';
import { validBody } from './body';

const CommentBody = Type.Object(
  { comment: Type.Optional(Type.String({ maxLength: 4000 })) },
  { additionalProperties: false },
);
const STATES: readonly ApprovalState[] = ['pending', 'approved', 'denied'];

/** Approval requests opened by require_approval decisions: reviewers answer, auditors read, the runtime polls. */
@ApiTags('governance')
@ApiBearerAuth()
@Controller('v1/governance/approvals')
export class ApprovalsController {
  constructor(
    private readonly queries: GovernanceQueries,
    private readonly resolve: ResolveApproval,
  ) {}

  @Get()
  @Roles('reviewer', 'auditor')
  list(@CurrentPrincipal() principal: Principal, @Query('state') state?: string) {
    const filter = STATES.find((s) => s === state);
    return this.queries.approvals(principal, filter).then((approvals) => ({ approvals }));
  }

  @Get(':id')
  @Roles('reviewer', 'auditor', 'orchestrator')
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.queries.approval(principal, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('reviewer')
  approve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ) {
    return this.resolve.execute(principal, id, 'approved', validBody(CommentBody, body ?? {}).comment ?? '');
  }

  @Post(':id/deny')
  @HttpCode(200)
  @Roles('reviewer')
  deny(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ) {
    return this.resolve.execute(principal, id, 'denied', validBody(CommentBody, body ?? {}).comment ?? '');
  }
}
