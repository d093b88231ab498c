import { canonicalize } from './canonical-json';
import { isJsonObject, isSha256Hex } from './encoding';

/** in-toto Attestation Framework, Statement layer v1 (github.com/in-toto/attestation, spec/v1). */
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** The DSSE payloadType for in-toto statements. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** ResourceDescriptor as a statement subject: a name and a DigestSet (algorithm → lowercase hex). */
export interface Subject {
  name: string;
  digest: Record<string, string>;
}

export interface Statement<P = unknown> {
  _type: typeof IN_TOTO_STATEMENT_TYPE;
  subject: Subject[];
  predicateType: string;
  predicate: P;
}

export class StatementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatementError';
  }
}

export function buildStatement<P>(subject: Subject[], predicateType: string, predicate: P): Statement<P> {
  const statement: Statement<P> = { _type: IN_TOTO_STATEMENT_TYPE, subject, predicateType, predicate };
  validate(statement);
  return statement;
}

/** The payload bytes we sign: RFC 8785 canonical JSON, so the same statement always has one form. */
export function serializeStatement(statement: Statement): Buffer {
  return Buffer.from(canonicalize(statement), 'utf8');
}

export interface ParseStatementOptions {
  /**
   * Refuse a payload that is not exactly its own RFC 8785 form. Our signer only emits canonical
   * payloads, and requiring it removes parser differentials (duplicate keys, odd escapes) between
   * this verifier and any other reading the same signed bytes.
   */
  requireCanonical?: boolean;
}

export function parseStatement(payload: Uint8Array, options: ParseStatementOptions = {}): Statement {
  const text = Buffer.from(payload).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StatementError('payload is not JSON');
  }
  validate(value);
  if (options.requireCanonical && canonicalize(value) !== text)
    throw new StatementError('payload is not in RFC 8785 canonical form');
  return value;
}

function validate(value: unknown): asserts value is Statement {
  if (!isJsonObject(value)) throw new StatementError('statement must be an object');
  if (value._type !== IN_TOTO_STATEMENT_TYPE)
    throw new StatementError(`_type must be ${IN_TOTO_STATEMENT_TYPE}`);
  if (typeof value.predicateType !== 'string' || value.predicateType.length === 0)
    throw new StatementError('predicateType must be a non-empty string');
  if ('predicate' in value && !isJsonObject(value.predicate))
    throw new StatementError('predicate must be an object');
  if (!Array.isArray(value.subject) || value.subject.length === 0)
    throw new StatementError('subject must be a non-empty array');
  value.subject.forEach((subject: unknown, i) => {
    if (!isJsonObject(subject) || typeof subject.name !== 'string')
      throw new StatementError(`subject[${i}] needs a string name`);
    const digest = subject.digest;
    if (!isJsonObject(digest) || Object.keys(digest).length === 0)
      throw new StatementError(`subject[${i}].digest must be a non-empty DigestSet`);
    for (const [algorithm, hex] of Object.entries(digest)) {
      if (typeof hex !== 'string' || !/^[0-9a-f]+$/.test(hex))
        throw new StatementError(`subject[${i}].digest.${algorithm} must be lowercase hex`);
    }
    if ('sha256' in digest && !isSha256Hex(digest.sha256))
      throw new StatementError(`subject[${i}].digest.sha256 must be 64 hex characters`);
  });
}
