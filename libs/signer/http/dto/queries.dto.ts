import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { TENANT_ID_PATTERN } from '@personae/auth';

const UINT = /^(0|[1-9][0-9]{0,15})$/;
const UINT_MESSAGE = (field: string): string => `${field} must be a non-negative integer`;

export class TenantQueryDto {
  @ApiPropertyOptional({ description: "Whose material; default: the bearer token's tenant", example: 'acme' })
  @IsOptional()
  @Matches(TENANT_ID_PATTERN, { message: 'tenant must be a tenant id (lowercase slug)' })
  tenant?: string;
}

export class EntryParams {
  @ApiProperty({ example: '0' })
  @Matches(UINT, { message: UINT_MESSAGE('index') })
  index!: string;
}

export class EntryQueryDto {
  @ApiPropertyOptional({ description: 'Prove against this tree size; default: the newest checkpoint' })
  @IsOptional()
  @Matches(UINT, { message: UINT_MESSAGE('treeSize') })
  treeSize?: string;
}

export class ConsistencyQueryDto {
  @ApiProperty({ example: '1' })
  @Matches(UINT, { message: UINT_MESSAGE('from') })
  from!: string;

  @ApiPropertyOptional({ description: 'Default: the newest checkpoint' })
  @IsOptional()
  @Matches(UINT, { message: UINT_MESSAGE('to') })
  to?: string;
}
