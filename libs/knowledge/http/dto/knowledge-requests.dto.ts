import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { SOURCE_MAX, TAG, TAGS_MAX } from '../../domain/snapshot';

export const MAX_DOCUMENTS = 1000;
export const MAX_QUERY = 4000;
export const MAX_K = 100;
const TAG_MESSAGE = 'each tag must be letters, digits and ._:/- (at most 64 characters)';

export class KnowledgeDocumentDto {
  @ApiProperty({ example: 'cell-biology-notes.md', maxLength: SOURCE_MAX })
  @IsString()
  @Length(1, SOURCE_MAX)
  source!: string;

  @ApiPropertyOptional({ type: [String], maxItems: TAGS_MAX, example: ['biology'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(TAGS_MAX)
  @IsString({ each: true })
  @Matches(TAG, { each: true, message: TAG_MESSAGE })
  tags?: string[];

  @ApiProperty({ description: 'The document text (the whole JSON body is limited by MAX_BODY_BYTES)' })
  @IsString()
  @Length(1, 100 * 1024 * 1024)
  text!: string;
}

/** Body of POST /v1/knowledge/snapshots. */
export class CreateSnapshotDto {
  @ApiPropertyOptional({ maxLength: 200, example: 'biology course notes' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  label?: string;

  @ApiProperty({ type: [KnowledgeDocumentDto], minItems: 1, maxItems: MAX_DOCUMENTS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_DOCUMENTS)
  @ValidateNested({ each: true })
  @Type(() => KnowledgeDocumentDto)
  documents!: KnowledgeDocumentDto[];
}

/** Query of POST /v1/knowledge/snapshots/upload: the body is the document itself, streamed. */
export class UploadSnapshotQueryDto {
  @ApiProperty({ example: 'handbook.txt', maxLength: SOURCE_MAX })
  @IsString()
  @Length(1, SOURCE_MAX)
  source!: string;

  @ApiPropertyOptional({ description: 'Comma-separated tags', example: 'biology,course' })
  @IsOptional()
  @IsString()
  @MaxLength(TAGS_MAX * 65)
  tags?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  label?: string;
}

export class SearchFilterDto {
  @ApiPropertyOptional({ type: [String], maxItems: 50, description: 'Chunks from any of these sources' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, SOURCE_MAX, { each: true })
  sources?: string[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: TAGS_MAX,
    description: 'Chunks carrying every one of these tags',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(TAGS_MAX)
  @IsString({ each: true })
  @Matches(TAG, { each: true, message: TAG_MESSAGE })
  tags?: string[];
}

/** Body of POST /v1/knowledge/snapshots/:id/search. */
export class SearchSnapshotDto {
  @ApiProperty({ maxLength: MAX_QUERY, example: 'What do mitochondria produce?' })
  @IsString()
  @Length(1, MAX_QUERY)
  query!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_K, default: 5 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_K)
  k?: number;

  @ApiPropertyOptional({ type: SearchFilterDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SearchFilterDto)
  filter?: SearchFilterDto;
}

/** Query of GET /v1/knowledge/snapshots/:id/manifest. */
export class ManifestQueryDto {
  @ApiPropertyOptional({ description: 'Chunk id to continue after (the `next` of the previous page)' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9a-f]{32}$/, { message: 'after must be a chunk id (32 lowercase hex characters)' })
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 10000, default: 1000, description: 'Entries per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  limit?: number;
}
