import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { SLUG } from '@personae/pack';
import { MAX_REASON_LENGTH } from '../../domain/signing-keys';

/** Body of POST /v1/signer/revocations. */
export class RevokeVersionDto {
  @ApiProperty({ example: 'contract_reviewer' })
  @IsString()
  @Matches(new RegExp(SLUG), { message: 'packName must be a pack name (a slug)' })
  packName!: string;

  @ApiProperty({ minimum: 1, example: 3 })
  @IsInt()
  @Min(1)
  @Max(999999)
  version!: number;

  @ApiProperty({ example: `sha256:${'0'.repeat(64)}` })
  @IsString()
  @Matches(/^sha256:[0-9a-f]{64}$/, { message: 'digest must be sha256:<64 lowercase hex characters>' })
  digest!: string;

  @ApiProperty({ maxLength: MAX_REASON_LENGTH, example: 'leaks an internal system prompt' })
  @IsString()
  @Length(1, MAX_REASON_LENGTH)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}
