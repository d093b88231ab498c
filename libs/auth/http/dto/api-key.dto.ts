import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../domain/roles';
import type { Principal } from '../../domain/principal';

/** A key as the API shows it: never its secret nor its hash. */
export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty() label!: string;
  @ApiProperty({ description: 'Public part of the token, to recognise a key', example: 'pk_0193…' })
  prefix!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: Date | null;
  @ApiProperty({ type: String, nullable: true }) revokedBy!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Refreshed at most once a minute',
  })
  lastUsedAt!: Date | null;
}

export class MintedKeyDto {
  @ApiProperty({ type: ApiKeyDto }) key!: ApiKeyDto;
  @ApiProperty({ description: 'The bearer token. Shown only in this response: store it now.' })
  token!: string;
}

export class KeyListDto {
  @ApiProperty({ type: [ApiKeyDto], description: 'Newest first, at most 1000' }) keys!: ApiKeyDto[];
}

export class PrincipalDto implements Principal {
  @ApiProperty() subject!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ enum: ['api-key', 'jwt'] }) via!: 'api-key' | 'jwt';
  @ApiProperty({ required: false, format: 'uuid' }) keyId?: string;
}
