import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { ReviewDraft } from '../use-cases/review-draft.use-case';
import { SealDraft } from '../use-cases/seal-draft.use-case';
import { SubmitDraft } from '../use-cases/submit-draft.use-case';
import { WithdrawDraft } from '../use-cases/withdraw-draft.use-case';
import { BearerToken } from './bearer-token.decorator';
import { CommentDto, RejectDto } from './dto/draft-requests.dto';
import { DraftDto } from './dto/draft.response';
import { VersionDto } from './dto/version.response';
import { PackErrorsInterceptor } from './pack-errors.interceptor';
import { draftView, versionView } from './views';

/**
 * The review lifecycle of a draft: trainers submit and withdraw, reviewers approve or reject (never
 * their own or a draft they trained: 403), signers seal. A transition the state does not allow is 409.
 */
@ApiTags('personas')
@ApiBearerAuth()
@Controller('v1/personas/drafts/:id')
@UseInterceptors(PackErrorsInterceptor)
export class DraftReviewController {
  constructor(
    private readonly submitDraft: SubmitDraft,
    private readonly withdrawDraft: WithdrawDraft,
    private readonly reviewDraft: ReviewDraft,
    private readonly sealDraft: SealDraft,
  ) {}

  @Post('submit')
  @HttpCode(200)
  @Roles('trainer')
  @ApiOkResponse({ type: DraftDto })
  async submit(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<DraftDto> {
    return draftView(await this.submitDraft.execute(principal, id));
  }

  @Post('withdraw')
  @HttpCode(200)
  @Roles('trainer')
  @ApiOkResponse({ type: DraftDto })
  async withdraw(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<DraftDto> {
    return draftView(await this.withdrawDraft.execute(principal, id));
  }

  @Post('approve')
  @HttpCode(200)
  @Roles('reviewer')
  @ApiOkResponse({ type: DraftDto, description: 'approved once the pack’s policy.requiredApprovals are in' })
  async approve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CommentDto,
  ): Promise<DraftDto> {
    return draftView(await this.reviewDraft.execute(principal, id, 'approved', body.comment ?? ''));
  }

  @Post('reject')
  @HttpCode(200)
  @Roles('reviewer')
  @ApiOkResponse({ type: DraftDto })
  async reject(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RejectDto,
  ): Promise<DraftDto> {
    return draftView(await this.reviewDraft.execute(principal, id, 'rejected', body.comment));
  }

  @Post('seal')
  @Roles('signer')
  @ApiCreatedResponse({ type: VersionDto, description: 'The new immutable version name.vN with its bundle' })
  async seal(
    @CurrentPrincipal() principal: Principal,
    @BearerToken() token: string,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<VersionDto> {
    return versionView(await this.sealDraft.execute(principal, token, id));
  }
}
