import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '@personae/service-kit';
import { MAX_VERSION, PERSONA_NAME } from '../../domain/persona-ref';

const DRAFT_STATES = ['draft', 'in_review', 'approved', 'rejected', 'sealed'] as const;

const asList = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? [value] : value);

/** Query of GET /v1/personas/drafts: filters, full-text search and offset pagination. */
export class ListDraftsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Full-text search (web-search syntax); results ranked by relevance' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({ type: [String], description: 'Repeat to require several tags' })
  @IsOptional()
  @Transform(asList)
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  tag?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Repeat to require several capabilities' })
  @IsOptional()
  @Transform(asList)
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  capability?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(32)
  category?: string;

  @ApiPropertyOptional({ description: 'Principal that created the draft' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  createdBy?: string;

  @ApiPropertyOptional({ enum: DRAFT_STATES })
  @IsOptional()
  @IsIn(DRAFT_STATES)
  state?: (typeof DRAFT_STATES)[number];

  @ApiPropertyOptional({ description: 'Persona name' })
  @IsOptional()
  @Matches(PERSONA_NAME, { message: 'name must be a persona name' })
  name?: string;
}

export class ExportQueryDto {
  @ApiPropertyOptional({ enum: ['yaml', 'json'], default: 'yaml' })
  @IsOptional()
  @IsIn(['yaml', 'json'])
  format?: 'yaml' | 'json';
}

export class DiffQueryDto {
  @ApiProperty({ example: 'v1', description: 'A version (v1) or a draft (draft:<id>)' })
  @IsString()
  @MaxLength(64)
  from!: string;

  @ApiProperty({ example: 'draft:01890a5d-ac96-774b-bcce-b302099a8057' })
  @IsString()
  @MaxLength(64)
  to!: string;
}

/** Body of POST /v1/personas/:name/clone. */
export class CloneDto {
  @ApiProperty({ example: 'contract_reviewer_eu', description: 'Name of the new persona' })
  @Matches(PERSONA_NAME, {
    message: 'newName must be a slug: 2-63 lowercase letters, digits, "_" or "-", starting with a letter',
  })
  newName!: string;

  @ApiPropertyOptional({ description: 'Version to clone; default the latest that is not revoked' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version?: number;
}

/** Body of promote and rollback. */
export class ChannelMoveDto {
  @ApiProperty({ example: 2 })
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version!: number;

  @ApiProperty({ minLength: 1, maxLength: 1000, example: 'passed the dev soak' })
  @IsString()
  @Length(1, 1000)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}

/** Body of deprecate and revoke. */
export class ReasonDto {
  @ApiProperty({ minLength: 1, maxLength: 1000, example: 'superseded by v3' })
  @IsString()
  @Length(1, 1000)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}
