import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Public, Roles, type Principal } from '@personae/auth';
import { RECEIPT_PAYLOAD_TYPE, type SignedReceipt } from '../domain/compliance-receipt';
import { ReceiptKeys } from '../receipts/receipt-keys';
import { ExecutionsStore } from '../store/executions.store';
import { UuidPipe } from './uuid.pipe';

/** Compliance receipts and the public keys that verify them. */
@ApiTags('runtime')
@Controller('v1/runtime/receipts')
export class ReceiptsController {
  constructor(
    private readonly keys: ReceiptKeys,
    private readonly store: ExecutionsStore,
  ) {}

  /** Public: anyone holding a receipt must be able to check it. */
  @Public()
  @Get('keys')
  async published() {
    return { payloadType: RECEIPT_PAYLOAD_TYPE, keys: await this.keys.published() };
  }

  @ApiBearerAuth()
  @Roles('orchestrator', 'auditor')
  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    const receipt = (await this.store.receipt(principal.tenantId, id)) as SignedReceipt | undefined;
    if (!receipt) throw new NotFoundException(`no receipt ${id}`);
    return { ...receipt, verification: await this.keys.verify(receipt) };
  }
}
