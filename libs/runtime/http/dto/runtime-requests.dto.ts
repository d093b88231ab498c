import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQueryDto } from '@personae/service-kit';

export const REF_PATTERN = /^[a-z][a-z0-9_-]{1,62}(\.v[1-9][0-9]{0,5}|@[a-z][a-z0-9-]{0,31})$/;
const REF_MESSAGE = 'ref must be name.vN (e.g. helper.v3) or name@channel (e.g. helper@prod)';
/** Upper bound of the input field; RUNTIME_MAX_INPUT_CHARS may set a lower one. */
export const MAX_INPUT = 1_000_000;

export class CreateSessionDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  label?: string;
}

export class CreateInstanceDto {
  @ApiProperty({ example: 'biology_researcher@prod' })
  @IsString()
  @Matches(REF_PATTERN, { message: REF_MESSAGE })
  ref!: string;

  @ApiPropertyOptional({ description: 'Session the instance belongs to' })
  @IsOptional()
  @IsUUID()
  sessionId?: string;

  @ApiPropertyOptional({
    description: 'Starter context given to the model with every request',
    maxLength: 16000,
  })
  @IsOptional()
  @IsString()
  @MaxLength(16000)
  context?: string;
}

export class SwapDto {
  @ApiProperty({ example: 'code_reviewer.v2', description: 'The persona to run from now on' })
  @IsString()
  @Matches(REF_PATTERN, { message: REF_MESSAGE })
  to!: string;

  @ApiProperty({ enum: ['carry', 'reset'] })
  @IsIn(['carry', 'reset'])
  memory!: 'carry' | 'reset';
}

export class SessionSwapDto extends SwapDto {
  @ApiPropertyOptional({ description: 'Which instance of the session; needed when it has several' })
  @IsOptional()
  @IsUUID()
  instanceId?: string;
}

export class TerminateDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class ExecuteDto {
  @ApiProperty({ description: 'The user input' })
  @IsString()
  @Length(1, MAX_INPUT)
  input!: string;

  @ApiPropertyOptional({ default: 'chat', description: 'The governed action name' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$/, {
    message: 'action must look like "chat" or "report.write"',
  })
  @MaxLength(128)
  action?: string;

  @ApiPropertyOptional({ description: 'Answer as server-sent events' })
  @IsOptional()
  @IsBoolean()
  stream?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxTokens?: number;
}

export class ListInstancesQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  sessionId?: string;

  @ApiPropertyOptional({ enum: ['active', 'terminated'] })
  @IsOptional()
  @IsIn(['active', 'terminated'])
  status?: 'active' | 'terminated';
}

export class MemoryQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class SetStateDto {
  @ApiProperty({ description: 'The instance state (a JSON object, at most 64 KiB)' })
  @IsObject()
  state!: Record<string, unknown>;
}

export class RegisterToolDto {
  @ApiProperty({
    example: 'web.search',
    description: 'A pack tool name; personas reach it only if it is in their bundle',
  })
  @IsString()
  @Matches(/^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$/, {
    message: 'name must be a tool name such as "web.search"',
  })
  @MaxLength(64)
  name!: string;

  @ApiProperty({ example: 'https://tools.internal/search' })
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({ minimum: 100, maximum: 600000, description: 'Capped by TOOL_TIMEOUT_MS' })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(600_000)
  timeoutMs?: number;
}
