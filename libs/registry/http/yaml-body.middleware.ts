import {
  Injectable,
  PayloadTooLargeException,
  BadRequestException,
  type NestMiddleware,
} from '@nestjs/common';
import { MAX_PACK_BYTES } from '@personae/pack';
import { text } from 'express';
import type { NextFunction, Request, Response } from 'express';

/** Content types the import endpoint reads as a YAML document (JSON is YAML too). */
export const YAML_CONTENT_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

const readYaml = text({ type: YAML_CONTENT_TYPES, limit: MAX_PACK_BYTES, defaultCharset: 'utf-8' });

/**
 * The app's body parser reads JSON only; this reads YAML bodies of the import route as text, up to the
 * pack size limit, so oversized documents are refused before anything parses them. Parser failures
 * reject the promise, which Nest hands to the global filter (an ErrorBody, not express's HTML page).
 */
@Injectable()
export class YamlBodyMiddleware implements NestMiddleware {
  async use(request: Request, response: Response, next: NextFunction): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      readYaml(request, response, (error?: unknown) => (error ? reject(parserError(error)) : resolve())),
    );
    next();
  }
}

function parserError(error: unknown): Error {
  const { type, limit } = error as { type?: string; limit?: number };
  if (type === 'entity.too.large')
    return new PayloadTooLargeException(
      `the document exceeds the pack limit of ${limit ?? MAX_PACK_BYTES} bytes`,
    );
  return new BadRequestException('the document body could not be read');
}
