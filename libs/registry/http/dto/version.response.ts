import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class SignedApprovalDto {
  @ApiProperty() by!: string;
  @ApiProperty() role!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class VersionSummaryDto {
  @ApiProperty() name!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ example: 'helper.v2' }) ref!: string;
  @ApiProperty({ description: 'sha256:<hex> of the canonical pack' }) digest!: string;
  @ApiProperty({ enum: ['sealed', 'deprecated', 'revoked'] }) state!: string;
  @ApiPropertyOptional() stateReason?: string;
  @ApiPropertyOptional() stateChangedBy?: string;
  @ApiPropertyOptional({ format: 'date-time' }) stateChangedAt?: string;
  @ApiProperty() keyId!: string;
  @ApiProperty() logIndex!: number;
  @ApiProperty({ type: [SignedApprovalDto] }) approvals!: SignedApprovalDto[];
  @ApiProperty({ format: 'uuid' }) draftId!: string;
  @ApiProperty() sealedBy!: string;
  @ApiProperty({ format: 'date-time' }) sealedAt!: string;
}

export class VersionDto extends VersionSummaryDto {
  @ApiProperty({ type: 'object', additionalProperties: true }) pack!: Record<string, unknown>;
  @ApiProperty({ description: 'The exact RFC 8785 canonical JSON that was signed' }) canonical!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Sigstore bundle v0.3' })
  bundle!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Report whose digest was signed' })
  governanceReport!: Record<string, unknown>;
}

export class VersionListDto {
  @ApiProperty({ type: [VersionSummaryDto] }) versions!: VersionSummaryDto[];
}

export class ChannelMoveViewDto {
  @ApiProperty({ description: 'Order of the move (increasing)' }) seq!: number;
  @ApiProperty({ enum: ['promote', 'rollback'] }) action!: string;
  @ApiProperty() version!: number;
  @ApiPropertyOptional() previousVersion?: number;
  @ApiProperty() by!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() reason!: string;
}

export class ChannelDto {
  @ApiProperty({ example: 'prod' }) channel!: string;
  @ApiPropertyOptional({ description: 'Version served now; absent when empty' }) version?: number;
  @ApiPropertyOptional() updatedBy?: string;
  @ApiPropertyOptional({ format: 'date-time' }) updatedAt?: string;
  @ApiProperty({ type: [ChannelMoveViewDto] }) history!: ChannelMoveViewDto[];
}

export class ChannelListDto {
  @ApiProperty() name!: string;
  @ApiProperty({ type: [ChannelDto] }) channels!: ChannelDto[];
}

export class ResolvedDto {
  @ApiProperty({ example: 'helper@prod' }) ref!: string;
  @ApiProperty() name!: string;
  @ApiProperty() version!: number;
  @ApiProperty() digest!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) pack!: Record<string, unknown>;
  @ApiProperty({ description: 'The exact signed bytes (RFC 8785): verify these' }) canonical!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) bundle!: Record<string, unknown>;
  @ApiProperty({ enum: ['sealed', 'deprecated'] }) state!: string;
  @ApiPropertyOptional() channel?: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      '{ channel, served: [{version, at}], rollbacks: [{toVersion, at, by, reason}] } for verifySealedPack',
  })
  channelHistory?: Record<string, unknown>;
}

export class PersonaDto {
  @ApiProperty() name!: string;
  @ApiProperty() createdBy!: string;
  @ApiPropertyOptional({ example: 'helper.v2' }) forkedFrom?: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional() latestVersion?: number;
  @ApiProperty() drafts!: number;
}

export class PersonaPageDto {
  @ApiProperty({ type: [PersonaDto] }) items!: PersonaDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class DiffDto {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: '[{pointer, kind, before?, after?, provenance: [{path, reason, events, origin?}]}]',
  })
  changes!: Record<string, unknown>[];
  @ApiProperty({ description: 'Changes no provenance entry explains' }) unexplained!: number;
}
