import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { MAX_PACK_BYTES, MAX_REPORTED_PROBLEMS, MAX_YAML_ALIAS_COUNT } from './limits';
import { PackValidationError, type PackProblem } from './pack-validation-error';
import type { PersonaPack } from './schema/persona-pack.schema';
import { validatePack } from './validate-pack';
import { tokenDepthProblem, yamlTreeProblems } from './yaml-safety';

export type PackFormat = 'yaml' | 'json' | 'auto';

export interface ParsePackOptions {
  /** 'json' insists on strict JSON; 'yaml' and 'auto' read YAML 1.2, of which JSON is a subset. */
  format?: PackFormat;
}

/** Parses a `.persona.yaml` (or JSON) document and validates it; throws PackValidationError. */
export function parsePack(source: string | Uint8Array, options: ParsePackOptions = {}): PersonaPack {
  return validatePack(parsePackDocument(source, options));
}

/**
 * Safely parses the text of a pack into plain data without validating it against the schema, e.g. to
 * check a stored pack's digest before normalizing it. Size, tags, duplicate keys, depth and aliases
 * are checked here, before any schema work.
 */
export function parsePackDocument(source: string | Uint8Array, options: ParsePackOptions = {}): unknown {
  const text = decode(source);
  const depthProblem = tokenDepthProblem(text);
  if (depthProblem) throw new PackValidationError([depthProblem]);
  if (options.format === 'json') assertStrictJson(text);

  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    schema: options.format === 'json' ? 'json' : 'core',
    customTags: [],
    merge: false,
    uniqueKeys: false, // yamlTreeProblems reports duplicates with their pointer
    strict: true,
    prettyErrors: false,
    lineCounter,
  });
  // Tree problems (tags, duplicate keys) come before warnings: they say where, `yaml` only says which line.
  for (const problems of [
    () => document.errors.map((error) => syntaxProblem(error, lineCounter)),
    () => yamlTreeProblems(document.contents),
    () => document.warnings.map((warning) => syntaxProblem(warning, lineCounter)),
  ]) {
    const found = problems();
    if (found.length > 0) throw new PackValidationError(found.slice(0, MAX_REPORTED_PROBLEMS));
  }

  if (document.contents === null) throw PackValidationError.single('', 'the document is empty');
  try {
    return document.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT }) as unknown;
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message))
      throw PackValidationError.single(
        '',
        `YAML aliases expand too much (over ${MAX_YAML_ALIAS_COUNT} alias nodes): refused as a possible alias bomb`,
      );
    throw PackValidationError.single('', `cannot read the document: ${(error as Error).message}`);
  }
}

function decode(source: string | Uint8Array): string {
  const bytes = typeof source === 'string' ? Buffer.byteLength(source, 'utf8') : source.byteLength;
  if (bytes > MAX_PACK_BYTES)
    throw PackValidationError.single('', `the document is ${bytes} bytes; the limit is ${MAX_PACK_BYTES}`);
  let text: string;
  try {
    text = typeof source === 'string' ? source : new TextDecoder('utf-8', { fatal: true }).decode(source);
  } catch {
    throw PackValidationError.single('', 'the document is not valid UTF-8');
  }
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

function assertStrictJson(text: string): void {
  try {
    JSON.parse(text);
  } catch (error) {
    throw PackValidationError.single('', `not valid JSON: ${(error as Error).message}`);
  }
}

function syntaxProblem(error: YAMLError, lineCounter: LineCounter): PackProblem {
  const { line, col } = lineCounter.linePos(error.pos[0]);
  return { pointer: '', reason: `YAML error at line ${line}, column ${col}: ${error.message}` };
}
