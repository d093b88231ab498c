import { VARIABLES } from './environment';

export type EventTransportKind = 'postgres' | 'kafka';

/** The validated, typed configuration every service receives. */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: string;
  dataDir: string;
  databaseUrl?: string;
  embeddedPgPort: number;
  dbPoolSize: number;
  eventTransport: EventTransportKind;
  kafka: { brokers: string[]; clientId: string; partitions: number; replicationFactor: number };
  eventLogPartitions: number;
  eventMaxAttempts: number;
  redisUrl?: string;
  s3: {
    endpoint?: string;
    bucket: string;
    accessKey?: string;
    secretKey?: string;
    region: string;
    partSize: number;
    pathStyle: boolean;
  };
  qdrantUrl?: string;
  model: { baseUrl?: string; apiKey?: string; routes?: string; timeoutMs: number };
  qdrantApiKey?: string;
  /** Knowledge embeddings: a model at MODEL_BASE_URL, or (unset) the hashing embedder. */
  embeddings: { model?: string; dimensions?: number };
  auth: { jwtSecret?: string; jwtIssuer: string; bootstrapTenant: string };
  maxBodyBytes: number;
  /** Browser origins allowed by CORS; ['*'] for any, [] (the default) for none. */
  corsOrigins: string[];
  audit: { checkpointIntervalMs: number; piiRetentionDays: number };
  /** KEK list text; absent in development, where a generated one under dataDir is used. */
  keyEncryptionKeys?: string;
  /** Other services' base URLs; absent means this process. */
  serviceUrls: { signer?: string; registry?: string; governance?: string; knowledge?: string };
  /** Model prices (USD per 1k tokens) overriding the built-in table, from GOVERNANCE_MODEL_PRICES. */
  governance: { modelPrices?: Record<string, { inputPer1k: number; outputPer1k: number }> };
  runtime: {
    mode: 'dev' | 'prod';
    /** MODEL_PRICES text, parsed by the runtime. */
    prices: string;
    defaultModel: string;
    toolTimeoutMs: number;
    maxInputChars: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment once, at start; every bad variable is named with its reason. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const values = new Map<string, string | undefined>();
  for (const spec of VARIABLES) {
    const raw = env[spec.name];
    const value = raw === undefined || raw === '' ? spec.default : raw;
    if (value !== undefined && spec.check) {
      const reason = spec.check(value);
      // Secrets are never echoed, even when wrong.
      if (reason)
        problems.push(`${spec.name} ${reason}${spec.secret ? '' : ` (got ${JSON.stringify(value)})`}`);
    }
    values.set(spec.name, value);
  }
  const get = (name: string): string | undefined => values.get(name);
  const need = (name: string): string => values.get(name) ?? '';
  if (get('S3_ENDPOINT') && (!get('S3_ACCESS_KEY') || !get('S3_SECRET_KEY'))) {
    problems.push('S3_ACCESS_KEY and S3_SECRET_KEY are required when S3_ENDPOINT is set');
  }
  if (get('EMBEDDINGS_MODEL') && !get('MODEL_BASE_URL')) {
    problems.push('MODEL_BASE_URL is required when EMBEDDINGS_MODEL is set');
  }
  if (get('NODE_ENV') === 'production' && !get('KEY_ENCRYPTION_KEYS')) {
    problems.push('KEY_ENCRYPTION_KEYS is required in production (see README: Configuration)');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const brokers = get('KAFKA_BROKERS');
  return {
    nodeEnv: need('NODE_ENV') as AppConfig['nodeEnv'],
    host: need('HOST'),
    port: Number(need('PORT')),
    logLevel: need('LOG_LEVEL'),
    dataDir: need('DATA_DIR'),
    databaseUrl: get('DATABASE_URL'),
    embeddedPgPort: Number(need('EMBEDDED_PG_PORT')),
    dbPoolSize: Number(need('DB_POOL_SIZE')),
    eventTransport: brokers ? 'kafka' : 'postgres',
    kafka: {
      brokers: brokers ? brokers.split(',').map((b) => b.trim()) : [],
      clientId: need('KAFKA_CLIENT_ID'),
      partitions: Number(need('KAFKA_PARTITIONS')),
      replicationFactor: Number(need('KAFKA_REPLICATION_FACTOR')),
    },
    eventLogPartitions: Number(need('EVENT_LOG_PARTITIONS')),
    eventMaxAttempts: Number(need('EVENT_MAX_ATTEMPTS')),
    redisUrl: get('REDIS_URL'),
    s3: {
      endpoint: get('S3_ENDPOINT'),
      bucket: need('S3_BUCKET'),
      accessKey: get('S3_ACCESS_KEY'),
      secretKey: get('S3_SECRET_KEY'),
      region: need('S3_REGION'),
      partSize: Number(need('S3_PART_SIZE')),
      pathStyle: need('S3_PATH_STYLE') === 'true',
    },
    qdrantUrl: get('QDRANT_URL'),
    model: {
      baseUrl: get('MODEL_BASE_URL'),
      apiKey: get('MODEL_API_KEY'),
      routes: get('MODEL_ROUTES'),
      timeoutMs: Number(need('MODEL_TIMEOUT_MS')),
    },
    qdrantApiKey: get('QDRANT_API_KEY'),
    embeddings: {
      model: get('EMBEDDINGS_MODEL'),
      dimensions: get('EMBEDDINGS_DIMENSIONS') ? Number(get('EMBEDDINGS_DIMENSIONS')) : undefined,
    },
    auth: {
      jwtSecret: get('AUTH_JWT_SECRET'),
      jwtIssuer: need('AUTH_JWT_ISSUER'),
      bootstrapTenant: need('BOOTSTRAP_TENANT'),
    },
    maxBodyBytes: Number(need('MAX_BODY_BYTES')),
    corsOrigins:
      get('CORS_ORIGINS')
        ?.split(',')
        .map((origin) => origin.trim()) ?? [],
    audit: {
      checkpointIntervalMs: Number(need('AUDIT_CHECKPOINT_MS')),
      piiRetentionDays: Number(need('AUDIT_PII_RETENTION_DAYS')),
    },
    keyEncryptionKeys: get('KEY_ENCRYPTION_KEYS'),
    serviceUrls: {
      signer: get('SIGNER_URL'),
      registry: get('REGISTRY_URL'),
      governance: get('GOVERNANCE_URL'),
      knowledge: get('KNOWLEDGE_URL'),
    },
    governance: {
      modelPrices: get('GOVERNANCE_MODEL_PRICES')
        ? (JSON.parse(need('GOVERNANCE_MODEL_PRICES')) as AppConfig['governance']['modelPrices'])
        : undefined,
    },
    runtime: {
      mode: need('RUNTIME_MODE') as 'dev' | 'prod',
      prices: get('MODEL_PRICES') ?? '',
      defaultModel: need('RUNTIME_DEFAULT_MODEL'),
      toolTimeoutMs: Number(need('TOOL_TIMEOUT_MS')),
      maxInputChars: Number(need('RUNTIME_MAX_INPUT_CHARS')),
    },
  };
}
