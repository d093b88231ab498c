import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { compilePolicyOrThrow } from '../compile-policy';
import type { CompiledPolicy } from '../compiled-policy';
import type { PolicyDocument } from '../schema/policy-document.schema';

/** The constitution in force; decisions report it as their constitution version. */
export const CONSTITUTION_VERSION = 'constitution.v1';

let cached: { document: PolicyDocument; policy: CompiledPolicy } | undefined;

function load(): { document: PolicyDocument; policy: CompiledPolicy } {
  if (!cached) {
    const document = parse(
      readFileSync(join(__dirname, `${CONSTITUTION_VERSION}.yaml`), 'utf8'),
    ) as PolicyDocument;
    cached = {
      document,
      policy: compilePolicyOrThrow(document, { layer: 'constitution', version: CONSTITUTION_VERSION }),
    };
  }
  return cached;
}

/** The compiled constitution (read and compiled once per process). */
export function constitution(): CompiledPolicy {
  return load().policy;
}

/** The constitution as a document, e.g. to show it over HTTP. */
export function constitutionDocument(): PolicyDocument {
  return load().document;
}
