import { parseKekConfig } from '@personae/crypto';
// Deep import: the models index pulls in Nest modules that import this library.
import { parseModelRoutes } from '@personae/models/model-routes';
// Deep import, pure TS: the runtime index pulls in Nest modules that import this library.
import { parsePriceTable } from '@personae/runtime/domain/price-table';

/**
 * Every environment variable the platform reads, with its default and meaning.
 * The README's table and deploy/ files are kept in step with this list.
 */
export interface VariableSpec {
  name: string;
  default?: string;
  description: string;
  /** Returns a reason when the value is unacceptable. */
  check?: (value: string) => string | undefined;
  secret?: boolean;
}

const integer =
  (min: number, max: number) =>
  (value: string): string | undefined =>
    /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max
      ? undefined
      : `must be a whole number from ${min} to ${max}`;

const oneOf =
  (...allowed: string[]) =>
  (value: string): string | undefined =>
    allowed.includes(value) ? undefined : `must be one of ${allowed.join(', ')}`;

const url =
  (...protocols: string[]) =>
  (value: string): string | undefined => {
    try {
      const parsed = new URL(value);
      return protocols.includes(parsed.protocol.replace(':', ''))
        ? undefined
        : `must be a ${protocols.join(' or ')} URL`;
    } catch {
      return 'must be a URL';
    }
  };

const brokers = (value: string): string | undefined =>
  value.split(',').every((b) => /^[\w.-]+:\d+$/.test(b.trim()))
    ? undefined
    : 'must be host:port[,host:port...]';

/** `*` alone, or origins (scheme://host[:port], nothing after) of http(s) pages, as browsers send them. */
const corsOrigins = (value: string): string | undefined => {
  const entries = value.split(',').map((entry) => entry.trim());
  if (entries.includes('*')) return entries.length === 1 ? undefined : 'must be * alone or a list of origins';
  for (const entry of entries) {
    // Browsers send exact origins: a wildcard inside one would never match.
    if (entry.includes('*'))
      return `lists exact origins; ${JSON.stringify(entry)} has a wildcard, which no browser sends (use * alone for any origin)`;
    let origin: string | undefined;
    try {
      const parsed = new URL(entry);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') origin = parsed.origin;
    } catch {
      // reported below
    }
    if (origin === undefined)
      return `must list http(s) origins like https://chat.example.com: ${JSON.stringify(entry)} is not one`;
    if (origin !== entry)
      return `must list origins as browsers send them: ${JSON.stringify(entry)} should be ${JSON.stringify(origin)}`;
  }
  return undefined;
};

const minLength =
  (length: number) =>
  (value: string): string | undefined =>
    value.length >= length ? undefined : `must be at least ${length} characters`;

const modelPrices = (value: string): string | undefined => {
  try {
    const parsed = JSON.parse(value) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return 'must be a JSON object';
    for (const price of Object.values(parsed as Record<string, unknown>)) {
      const p = price as Record<string, unknown> | null;
      const ok = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 0;
      if (!p || typeof p !== 'object' || !ok(p.inputPer1k) || !ok(p.outputPer1k))
        return 'must map each model to {"inputPer1k": number ≥ 0, "outputPer1k": number ≥ 0}';
    }
    return undefined;
  } catch {
    return 'must be JSON';
  }
};

export const VARIABLES: readonly VariableSpec[] = [
  {
    name: 'NODE_ENV',
    default: 'development',
    description: 'development, production or test',
    check: oneOf('development', 'production', 'test'),
  },
  {
    name: 'HOST',
    default: '127.0.0.1',
    description: 'Interface the HTTP server binds to (0.0.0.0 in containers)',
  },
  { name: 'PORT', default: '3000', description: 'HTTP port of this process', check: integer(0, 65535) },
  {
    name: 'LOG_LEVEL',
    default: 'info',
    description: 'pino level: fatal, error, warn, info, debug, trace, silent',
    check: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
  },
  {
    name: 'DATA_DIR',
    default: '.data',
    description: 'Where embedded Postgres and the filesystem object store keep their data',
  },
  {
    name: 'DATABASE_URL',
    description: 'Postgres connection URL; unset starts embedded Postgres under DATA_DIR/postgres',
    check: url('postgres', 'postgresql'),
    secret: true,
  },
  {
    name: 'EMBEDDED_PG_PORT',
    default: '54329',
    description: 'Port of embedded Postgres (loopback only)',
    check: integer(1024, 65535),
  },
  {
    name: 'DB_POOL_SIZE',
    default: '10',
    description: 'Connections per service pool',
    check: integer(1, 200),
  },
  {
    name: 'KAFKA_BROKERS',
    description: 'Comma-separated Kafka brokers; set to use Kafka instead of the Postgres event log',
    check: brokers,
  },
  { name: 'KAFKA_CLIENT_ID', default: 'personae', description: 'Kafka client id prefix' },
  {
    name: 'KAFKA_PARTITIONS',
    default: '6',
    description: 'Partitions for topics created at start',
    check: integer(1, 1000),
  },
  {
    name: 'KAFKA_REPLICATION_FACTOR',
    default: '1',
    description: 'Replication factor for topics created at start',
    check: integer(1, 10),
  },
  {
    name: 'EVENT_LOG_PARTITIONS',
    default: '8',
    description: 'Partitions per topic of the Postgres event log',
    check: integer(1, 256),
  },
  {
    name: 'EVENT_MAX_ATTEMPTS',
    default: '5',
    description: 'Deliveries of one event to a consumer before it goes to the dead-letter topic',
    check: integer(1, 100),
  },
  {
    name: 'REDIS_URL',
    description: 'Redis for caches, counters and locks; unset keeps them in process',
    check: url('redis', 'rediss'),
    secret: true,
  },
  {
    name: 'S3_ENDPOINT',
    description: 'S3/MinIO endpoint; unset stores objects under DATA_DIR/objects',
    check: url('http', 'https'),
  },
  { name: 'S3_BUCKET', default: 'personae', description: 'Bucket for archives and attachments' },
  { name: 'S3_ACCESS_KEY', description: 'S3 access key', secret: true },
  { name: 'S3_SECRET_KEY', description: 'S3 secret key', secret: true },
  { name: 'S3_REGION', default: 'us-east-1', description: 'S3 region (MinIO ignores it)' },
  {
    name: 'S3_PART_SIZE',
    default: '8388608',
    description: 'S3 multipart part size in bytes: the memory one upload holds (5 MiB to 512 MiB)',
    check: integer(5 * 1024 * 1024, 512 * 1024 * 1024),
  },
  {
    name: 'S3_PATH_STYLE',
    default: 'true',
    description: 'Path-style S3 URLs (true for MinIO; false for virtual-hosted buckets)',
    check: oneOf('true', 'false'),
  },
  {
    name: 'QDRANT_URL',
    description: 'Qdrant endpoint; unset uses the embedded vector index',
    check: url('http', 'https'),
  },
  {
    name: 'MODEL_BASE_URL',
    description: 'OpenAI-compatible endpoint; unset uses the offline retrieval responder',
    check: url('http', 'https'),
  },
  { name: 'MODEL_API_KEY', description: 'Key for MODEL_BASE_URL', secret: true },
  {
    name: 'MODEL_ROUTES',
    description:
      'Per-model endpoints "pattern=url[ key=ENV_VAR]" separated by ";" (pattern: a model, a prefix*, or *; url or "offline"); unrouted models go to MODEL_BASE_URL',
    check: (value) => {
      try {
        parseModelRoutes(value);
        return undefined;
      } catch (error) {
        // "MODEL_ROUTES entry 2: …" → "entry 2: …" (the variable's name is put in front already).
        return error instanceof Error ? error.message.replace(/^MODEL_ROUTES /, '') : 'is not a route list';
      }
    },
  },
  {
    name: 'MODEL_TIMEOUT_MS',
    default: '60000',
    description: 'Model request timeout: the whole answer, or the gap between streamed chunks',
    check: integer(100, 600000),
  },
  {
    name: 'EMBEDDINGS_MODEL',
    description:
      'Embeddings model at MODEL_BASE_URL (POST /embeddings) for knowledge snapshots; unset uses the hashing embedder',
    check: (v) =>
      /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,150}$/.test(v) ? undefined : 'must be a model identifier',
  },
  {
    name: 'EMBEDDINGS_DIMENSIONS',
    description:
      'Vector length asked of EMBEDDINGS_MODEL (models that can shorten vectors); unset takes the model default',
    check: integer(1, 65536),
  },
  { name: 'QDRANT_API_KEY', description: 'Key for QDRANT_URL', secret: true },
  {
    name: 'AUTH_JWT_SECRET',
    description: 'HS256 secret for bearer JWTs (at least 32 characters); unset accepts API keys only',
    check: minLength(32),
    secret: true,
  },
  { name: 'AUTH_JWT_ISSUER', default: 'personae', description: 'Required `iss` of bearer JWTs' },
  {
    name: 'BOOTSTRAP_TENANT',
    default: 'default',
    description: 'Tenant of the admin key created on first start',
    check: (v) => (/^[a-z0-9][a-z0-9-]{0,62}$/.test(v) ? undefined : 'must be a lowercase slug'),
  },
  {
    name: 'KEY_ENCRYPTION_KEYS',
    description:
      'Key-encryption keys "id:base64-32-bytes[,id:...]", first is current; they wrap signing keys and archive keys. Unset outside production: generated once under DATA_DIR/keys',
    check: (value) => {
      try {
        parseKekConfig(value);
        return undefined;
      } catch (error) {
        return error instanceof Error ? error.message : 'is not a key list';
      }
    },
    secret: true,
  },
  {
    name: 'SIGNER_URL',
    description: 'Base URL of the signer service; unset means this process (platform mode)',
    check: url('http', 'https'),
  },
  {
    name: 'REGISTRY_URL',
    description: 'Base URL of the persona registry; unset means this process (platform mode)',
    check: url('http', 'https'),
  },
  {
    name: 'GOVERNANCE_URL',
    description: 'Base URL of the governance-policy service; unset means this process (platform mode)',
    check: url('http', 'https'),
  },
  {
    name: 'GOVERNANCE_MODEL_PRICES',
    description:
      'JSON {"model": {"inputPer1k": USD, "outputPer1k": USD}} merged over the built-in model price table; "*" prices unknown models',
    check: modelPrices,
  },
  {
    name: 'KNOWLEDGE_URL',
    description:
      'Base URL of the service hosting knowledge snapshots (the synthesis pipeline); unset means this process (platform mode)',
    check: url('http', 'https'),
  },
  {
    name: 'CORS_ORIGINS',
    description:
      'Browser origins allowed to call the HTTP API (comma-separated, e.g. https://chat.example.com; * for any). Unset: no CORS headers, so pages on other origins cannot read answers',
    check: corsOrigins,
  },
  {
    name: 'MAX_BODY_BYTES',
    default: '1048576',
    description: 'Largest accepted JSON request body',
    check: integer(1024, 104857600),
  },
  {
    name: 'AUDIT_CHECKPOINT_MS',
    default: '60000',
    description: 'How often the audit ledger signs a checkpoint over the entries each tenant gained',
    check: integer(1000, 86400000),
  },
  {
    name: 'AUDIT_PII_RETENTION_DAYS',
    default: '0',
    description:
      'Days the audit ledger keeps clear (encrypted) PII of entries; 0 keeps it. Erasing never breaks verification',
    check: integer(0, 36500),
  },
  {
    name: 'RUNTIME_MODE',
    default: 'dev',
    description:
      'Runtime deployment mode: dev runs any sealed version or channel; prod runs only name@prod refs',
    check: oneOf('dev', 'prod'),
  },
  {
    name: 'MODEL_PRICES',
    description:
      'Runtime price table "model=inputUSD/outputUSD[/contextTokens]" per million tokens, ";"-separated (model, prefix* or *); unlisted models cost 0',
    check: (value) => {
      try {
        parsePriceTable(value);
        return undefined;
      } catch (error) {
        return error instanceof Error ? error.message : 'is not a price table';
      }
    },
  },
  {
    name: 'RUNTIME_DEFAULT_MODEL',
    default: 'offline-retrieval',
    description: 'Model a persona runs on when its pack names no primary model',
    check: (v) => (/^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}$/.test(v) ? undefined : 'must be a model id'),
  },
  {
    name: 'TOOL_TIMEOUT_MS',
    default: '10000',
    description: 'Longest a deployer-registered tool endpoint may take (a tool may set less)',
    check: integer(100, 600000),
  },
  {
    name: 'RUNTIME_MAX_INPUT_CHARS',
    default: '32000',
    description: 'Largest user input one runtime request may carry, in characters',
    check: integer(1, 1000000),
  },
];
