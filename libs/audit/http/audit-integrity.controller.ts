import { Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Public, Roles, type Principal } from '@personae/auth';
import type { Response } from 'express';
import type { SignedCheckpoint } from '../domain/checkpoint';
import { LedgerKeys, type LedgerPublicKey } from '../keys/ledger-keys';
import { LedgerRepository } from '../store/ledger.repository';
import { CreateCheckpoints } from '../use-cases/create-checkpoints.use-case';
import { ExportLedger } from '../use-cases/export-ledger.use-case';
import { VerifyLedger, type VerificationReport } from '../use-cases/verify-ledger.use-case';
import { positionRange, queryStrings } from './query-params';

/** Proving the record: verification, export for offline checks, checkpoints, the ledger's keys. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditIntegrityController {
  constructor(
    private readonly verify: VerifyLedger,
    private readonly exporter: ExportLedger,
    private readonly checkpoints: CreateCheckpoints,
    private readonly ledger: LedgerRepository,
    private readonly keys: LedgerKeys,
  ) {}

  @Get('verification')
  @Roles('auditor')
  @ApiOperation({ summary: 'Re-check the hash chain and every signed checkpoint over a position range' })
  @ApiOkResponse({
    description: '{ ok, from, to, entries, checkpoints, head, firstBroken: { position, reason } }',
  })
  verification(
    @CurrentPrincipal() principal: Principal,
    @Query() query: Record<string, unknown>,
  ): Promise<VerificationReport> {
    return this.verify.execute(principal.tenantId, positionRange(query));
  }

  @Get('export')
  @Roles('auditor')
  @ApiProduces('application/x-ndjson')
  @ApiOperation({ summary: 'The ledger as JSON Lines with its checkpoints, for `npm run audit:verify`' })
  async export(
    @CurrentPrincipal() principal: Principal,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    const range = positionRange(query);
    response.status(200);
    response.setHeader('content-type', 'application/x-ndjson; charset=utf-8');
    response.setHeader('content-disposition', `attachment; filename="audit-${principal.tenantId}.jsonl"`);
    try {
      for await (const chunk of this.exporter.lines(principal.tenantId, range)) {
        if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve));
        if (response.destroyed) return;
      }
      response.end();
    } catch (error) {
      // Headers are gone: cut the stream so the client sees a truncated (unverifiable) file.
      response.destroy(error as Error);
    }
  }

  @Get('checkpoints')
  @Roles('auditor')
  @ApiOkResponse({ description: '{ checkpoints: [{ statement, signature }] }' })
  async list(@CurrentPrincipal() principal: Principal): Promise<{ checkpoints: SignedCheckpoint[] }> {
    return { checkpoints: await this.ledger.checkpoints(principal.tenantId) };
  }

  @Post('checkpoints')
  @HttpCode(200)
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Sign a checkpoint over the entries gained since the last one, now' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Query() query: Record<string, unknown>,
  ): Promise<{ checkpoint: SignedCheckpoint | null }> {
    queryStrings(query, []);
    return { checkpoint: (await this.checkpoints.forTenant(principal.tenantId)) ?? null };
  }

  // Public: the keys checkpoints are verified with, what the offline command's --public-key may fetch.
  @Public()
  @Get('keys')
  @ApiOkResponse({ description: '{ keys: [{ keyId, publicKeyPem, createdAt }] }' })
  async publicKeys(): Promise<{ keys: LedgerPublicKey[] }> {
    return { keys: await this.keys.published() };
  }
}
