import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsISO8601,
  IsObject,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { MAX_APPROVALS } from '../../domain/seal-request';

export class SealApprovalDto {
  @ApiProperty({ example: 'apikey:0190…', description: 'Who approved (user or service id)' })
  @IsString()
  @Length(1, 256)
  by!: string;

  @ApiProperty({ example: 'reviewer', description: 'In what capacity' })
  @IsString()
  @Length(1, 64)
  role!: string;

  @ApiProperty({ example: '2026-11-21T20:15:57Z', description: 'ISO 8601 instant' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @Length(1, 64)
  at!: string;
}

/** Body of POST /v1/signer/seal (SealRequest in the SDK). */
export class SealRequestDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The normalized pack (what validatePack returns) with metadata.version set',
  })
  @IsObject()
  pack!: Record<string, unknown>;

  @ApiProperty({ type: [SealApprovalDto], minItems: 1, maxItems: MAX_APPROVALS })
  @IsArray()
  @ArrayMinSize(1, { message: 'at least one approval is required' })
  @ArrayMaxSize(MAX_APPROVALS)
  @ValidateNested({ each: true })
  @Type(() => SealApprovalDto)
  approvals!: SealApprovalDto[];

  @ApiProperty({
    example: `sha256:${'0'.repeat(64)}`,
    description: 'Digest of the governance report the pack passed',
  })
  @IsString()
  @Matches(/^sha256:[0-9a-f]{64}$/, {
    message: 'governanceReportDigest must be sha256:<64 lowercase hex characters>',
  })
  governanceReportDigest!: string;
}
