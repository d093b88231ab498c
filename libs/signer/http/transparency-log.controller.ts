import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@personae/auth';
import type { ConsistencyProofView, LogCheckpointView, LogEntryView } from '@personae/sdk';
import { VerificationMaterialQuery } from '../use-cases/verification-material.query';
import { ConsistencyQueryDto, EntryParams, EntryQueryDto } from './dto/queries.dto';

/**
 * The transparency log, read-only. Public: signed checkpoints and Merkle proofs are what anyone
 * needs to check, without an account, that a seal was logged and the log never rewrote its past.
 */
@Public()
@ApiTags('signer')
@Controller('v1/signer/log')
export class TransparencyLogController {
  constructor(private readonly material: VerificationMaterialQuery) {}

  @Get('checkpoint')
  @ApiOkResponse({ description: 'The newest signed tree head' })
  checkpoint(): Promise<LogCheckpointView> {
    return this.material.checkpoint();
  }

  @Get('entries/:index')
  @ApiOkResponse({
    description: 'The entry, shaped like a Sigstore bundle tlogEntries item, with its inclusion proof',
  })
  entry(@Param() params: EntryParams, @Query() query: EntryQueryDto): Promise<LogEntryView> {
    return this.material.entry(params.index, query.treeSize);
  }

  @Get('consistency')
  @ApiOkResponse({ description: 'RFC 9162 consistency proof between two tree sizes, with both checkpoints' })
  consistency(@Query() query: ConsistencyQueryDto): Promise<ConsistencyProofView> {
    return this.material.consistency(query.from, query.to);
  }
}
