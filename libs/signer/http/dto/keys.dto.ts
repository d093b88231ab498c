import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { MAX_REASON_LENGTH } from '../../domain/signing-keys';

export class RotateKeyDto {
  @ApiPropertyOptional({ maxLength: MAX_REASON_LENGTH, example: 'yearly rotation' })
  @IsOptional()
  @IsString()
  @Length(1, MAX_REASON_LENGTH)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason?: string;
}

export class RevokeKeyDto {
  @ApiProperty({ maxLength: MAX_REASON_LENGTH, example: 'key material exposed in a CI log' })
  @IsString()
  @Length(1, MAX_REASON_LENGTH)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}

export class KeyIdParams {
  @ApiProperty({ description: 'Hex SHA-256 of the key SPKI' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'keyId must be 64 lowercase hex characters' })
  keyId!: string;
}
