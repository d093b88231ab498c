import { Body, Controller, Header, HttpStatus, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import type { SealResult } from '@personae/sdk';
import { SealPackUseCase } from '../use-cases/seal-pack.use-case';
import { SealRequestDto } from './dto/seal-request.dto';

@ApiTags('signer')
@ApiBearerAuth()
@Controller('v1/signer/seal')
export class SealController {
  constructor(private readonly sealPack: SealPackUseCase) {}

  /** 201 with a new seal; 200 with the earlier seal when this exact pack version was sealed before. */
  @Post()
  @Roles('signer')
  @Header('Cache-Control', 'no-store')
  @ApiCreatedResponse({ description: '{ bundle, digest, keyId, logIndex }' })
  @ApiForbiddenResponse({ description: 'The caller is not a trusted signer identity of its tenant' })
  @ApiConflictResponse({ description: 'The version is sealed with another digest, or revoked' })
  async seal(
    @CurrentPrincipal() principal: Principal,
    @Body() body: SealRequestDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SealResult> {
    const { result, created } = await this.sealPack.execute(principal, body);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return result;
  }
}
