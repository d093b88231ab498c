import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ApprovalDto {
  @ApiProperty() reviewerId!: string;
  @ApiProperty() comment!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class ReviewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() reviewerId!: string;
  @ApiProperty({ enum: ['approved', 'rejected'] }) verdict!: string;
  @ApiProperty() comment!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

/** A draft as lists show it: everything but the pack itself. */
export class DraftSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() personaName!: string;
  @ApiProperty({ enum: ['draft', 'in_review', 'approved', 'rejected', 'sealed'] }) state!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() description!: string;
  @ApiProperty() category!: string;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ type: [String] }) capabilities!: string[];
  @ApiProperty({ description: 'sha256:<hex> of the canonical pack' }) digest!: string;
  @ApiProperty() authorId!: string;
  @ApiProperty({ type: [String] }) trainerIds!: string[];
  @ApiPropertyOptional({ format: 'uuid' }) sessionId?: string;
  @ApiProperty() requiredApprovals!: number;
  @ApiProperty({ type: [ApprovalDto] }) approvals!: ApprovalDto[];
  @ApiPropertyOptional({ description: 'Version it was sealed as' }) version?: number;
  @ApiPropertyOptional({ description: 'Search relevance (ts_rank), with q only' }) rank?: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class DraftDto extends DraftSummaryDto {
  @ApiProperty({ type: 'object', additionalProperties: true }) pack!: Record<string, unknown>;
  @ApiProperty({ type: [ReviewDto], description: 'Every review, including those an edit voided' })
  reviews!: ReviewDto[];
}

export class DraftPageDto {
  @ApiProperty({ type: [DraftSummaryDto] }) items!: DraftSummaryDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
