import { UnsupportedMediaTypeException } from '@nestjs/common';
import { parsePack, validatePack, type PersonaPack } from '@personae/pack';

/**
 * The pack of an import request: a YAML (or JSON-as-YAML) document read as text by YamlBodyMiddleware,
 * or a JSON pack parsed by the app's JSON body parser. Either way, safely parsed and validated.
 */
export function importedPack(body: unknown): PersonaPack {
  if (typeof body === 'string') return parsePack(body, { format: 'yaml' });
  if (typeof body === 'object' && body !== null) return validatePack(body);
  throw new UnsupportedMediaTypeException(
    'send the pack as application/yaml (or text/yaml) or as a JSON document (application/json)',
  );
}
