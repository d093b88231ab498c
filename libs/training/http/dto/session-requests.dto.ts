import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ANNOTATION_KINDS, type AnnotationKind } from '../../domain/annotation-rules';
import { PERSONA_NAME } from '../../domain/base-ref';
import { SESSION_STATES, type SessionState } from '../../domain/session-state';
import { POLICY_EFFECTS } from '../../use-cases/record-policy-decision.use-case';
import { TOOL_INVOKERS, TOOL_RUN_STATUSES } from '../../use-cases/record-tool-run.use-case';

/** Body of POST /v1/persona/train/start. */
export class StartSessionDto {
  @ApiPropertyOptional({
    example: 'biology_researcher.v3',
    description: 'A sealed version name.vN; omit for an empty persona',
  })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  basePersona?: string;

  @ApiPropertyOptional({
    example: 'biology_tutor',
    description: 'Persona being trained; required without basePersona',
  })
  @IsOptional()
  @Matches(PERSONA_NAME, {
    message: 'name must be a persona name: lowercase letters, digits, _ or -, 2-63 characters',
  })
  name?: string;

  @ApiPropertyOptional({ description: 'Starting system prompt of an empty persona' })
  @IsOptional()
  @IsString()
  @Length(1, 32_000)
  systemPrompt?: string;
}

/** Body of POST /v1/persona/train/close. */
export class CloseSessionDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  sessionId!: string;

  @ApiPropertyOptional({ description: 'Why the session ends (kept in the closed event)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

/** Body of POST /v1/persona/train/sessions/:id/messages. */
export class SendMessageDto {
  @ApiProperty({ description: 'What the trainer says (at most 16,000 characters; longer is 413)' })
  @IsString()
  content!: string;

  @ApiPropertyOptional({
    description: 'Stream the reply as server-sent events (same as Accept: text/event-stream)',
  })
  @IsOptional()
  @IsBoolean()
  stream?: boolean;
}

/** Body of POST /v1/persona/train/sessions/:id/tool-runs. */
export class ToolRunDto {
  @ApiProperty({ example: 'web_search' })
  @Matches(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, {
    message: 'tool must be a tool name (letters, digits, _ . -; up to 64)',
  })
  tool!: string;

  @ApiProperty({ description: 'The arguments, any JSON (at most 64 KiB)' })
  @IsDefined()
  input!: unknown;

  @ApiPropertyOptional({ description: 'The result, any JSON (at most 64 KiB)' })
  @IsOptional()
  output?: unknown;

  @ApiProperty({ enum: TOOL_RUN_STATUSES })
  @IsIn(TOOL_RUN_STATUSES)
  status!: (typeof TOOL_RUN_STATUSES)[number];

  @ApiProperty({ minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  durationMs!: number;

  @ApiProperty({ enum: TOOL_INVOKERS })
  @IsIn(TOOL_INVOKERS)
  invokedBy!: (typeof TOOL_INVOKERS)[number];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  error?: string;
}

/** Body of POST /v1/persona/train/sessions/:id/annotations. */
export class AnnotationDto {
  @ApiProperty({ format: 'uuid', description: 'The recorded event being judged' })
  @IsUUID()
  eventId!: string;

  @ApiProperty({ enum: ANNOTATION_KINDS })
  @IsIn(ANNOTATION_KINDS)
  kind!: AnnotationKind;

  @ApiPropertyOptional({ description: 'Required for correct' })
  @IsOptional()
  @IsString()
  correctedAnswer?: string;

  @ApiPropertyOptional({ description: 'Required for explain; optional for reject' })
  @IsOptional()
  @IsString()
  rationale?: string;
}

/** Body of POST /v1/persona/train/sessions/:id/policy-decisions. */
export class PolicyDecisionDto {
  @ApiProperty({ example: 'tool:web_search' })
  @IsString()
  @Length(1, 200)
  action!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tool?: string;

  @ApiProperty({ enum: POLICY_EFFECTS })
  @IsIn(POLICY_EFFECTS)
  effect!: (typeof POLICY_EFFECTS)[number];

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  ruleIds!: string[];

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  reasons!: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'The recorded event the decision concerns' })
  @IsOptional()
  @IsUUID()
  eventId?: string;
}

/** Query of GET /v1/persona/train/sessions. */
export class ListSessionsQueryDto {
  @ApiPropertyOptional({ description: 'Persona name' })
  @IsOptional()
  @Matches(PERSONA_NAME, { message: 'persona must be a persona name' })
  persona?: string;

  @ApiPropertyOptional({ description: 'Trainer (principal subject) who started the session' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  trainer?: string;

  @ApiPropertyOptional({ enum: SESSION_STATES })
  @IsOptional()
  @IsIn(SESSION_STATES)
  state?: SessionState;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "Sessions older than this one (the previous page's `next`)",
  })
  @IsOptional()
  @IsUUID()
  before?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

/** Query of GET /v1/persona/train/sessions/:id. */
export class TimelineQueryDto {
  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'Events after this sequence number' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 5000, default: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5000)
  limit?: number;
}
