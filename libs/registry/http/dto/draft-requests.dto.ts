import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';

const PACK_DESCRIPTION =
  'A persona pack (JSON form of `.persona.yaml`, schema at GET /v1/schemas/persona-pack). The registry sets metadata.tenant, metadata.createdBy and, when sealing, metadata.version.';

/** Body of POST /v1/personas/drafts. */
export class CreateDraftDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: PACK_DESCRIPTION })
  @IsObject()
  pack!: Record<string, unknown>;

  @ApiPropertyOptional({ format: 'uuid', description: 'Training session the draft was synthesized from' })
  @IsOptional()
  @IsUUID()
  sessionId?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Principals who trained the draft; like its author, they may not review it (four eyes)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  trainerIds?: string[];
}

/** Body of PUT /v1/personas/drafts/:id. */
export class UpdateDraftDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: PACK_DESCRIPTION })
  @IsObject()
  pack!: Record<string, unknown>;
}

/** Body of submit and approve: an optional comment. */
export class CommentDto {
  @ApiPropertyOptional({ maxLength: 4000, example: 'Tone matches the brief.' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  comment?: string;
}

/** Body of reject: a comment saying what to change is required. */
export class RejectDto {
  @ApiProperty({ minLength: 1, maxLength: 4000, example: 'The safety boundaries miss medical advice.' })
  @IsString()
  @Length(1, 4000)
  @Matches(/\S/, { message: 'comment must not be blank' })
  comment!: string;
}
