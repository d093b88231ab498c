import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@personae/auth';
import { personaPackJsonSchema } from '@personae/pack';

/** The published JSON Schema of `.persona.yaml`, generated from the pack library's TypeBox schema. */
@ApiTags('schemas')
@Public() // the format specification: editors and CI fetch it without credentials
@Controller('v1/schemas')
export class SchemaController {
  private readonly schema = personaPackJsonSchema();

  @Get('persona-pack')
  @Header('content-type', 'application/schema+json; charset=utf-8')
  @Header('cache-control', 'public, max-age=300')
  @ApiOkResponse({ description: 'JSON Schema (draft 2020-12) of a persona pack' })
  personaPack(): Record<string, unknown> {
    return this.schema;
  }
}
