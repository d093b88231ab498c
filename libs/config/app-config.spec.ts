import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('gives embedded defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.eventTransport).toBe('postgres');
    expect(config.dataDir).toBe('.data');
  });

  it('allows no browser origin by default, and reads a list of origins or *', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(
      loadConfig({ CORS_ORIGINS: 'https://chat.example.com, http://localhost:8080' }).corsOrigins,
    ).toEqual(['https://chat.example.com', 'http://localhost:8080']);
    expect(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
  });

  it.each([
    ['https://chat.example.com/', /should be "https:\/\/chat.example.com"/],
    ['https://chat.example.com/app', /should be "https:\/\/chat.example.com"/],
    ['https://Chat.Example.com:443', /should be "https:\/\/chat.example.com"/],
    ['https://*.example.com', /has a wildcard, which no browser sends/],
    ['chat.example.com', /is not one/],
    ['ftp://files.example.com', /is not one/],
    ['*, https://chat.example.com', /must be \* alone/],
  ])('refuses CORS_ORIGINS=%s, naming it', (value, reason) => {
    expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(reason);
    expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(/CORS_ORIGINS/);
  });

  it('chooses Kafka when brokers are given', () => {
    const config = loadConfig({ KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092' });
    expect(config.eventTransport).toBe('kafka');
    expect(config.kafka.brokers).toEqual(['kafka-1:9092', 'kafka-2:9092']);
  });

  it('names every bad variable with its reason', () => {
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', KAFKA_BROKERS: 'nonsense' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT must be a whole number/);
      expect(problems).toMatch(/LOG_LEVEL must be one of/);
      expect(problems).toMatch(/KAFKA_BROKERS must be host:port/);
    }
  });

  it('never echoes a secret value in its message', () => {
    expect(() => loadConfig({ AUTH_JWT_SECRET: 'short-secret' })).toThrow(
      /AUTH_JWT_SECRET must be at least 32/,
    );
    try {
      loadConfig({ AUTH_JWT_SECRET: 'short-secret' });
    } catch (error) {
      expect((error as Error).message).not.toContain('short-secret');
    }
  });

  it('requires S3 credentials with an S3 endpoint', () => {
    expect(() => loadConfig({ S3_ENDPOINT: 'http://minio:9000' })).toThrow(/S3_ACCESS_KEY and S3_SECRET_KEY/);
  });
});

describe('key-encryption keys', () => {
  it('are required in production and validated without echoing them', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /KEY_ENCRYPTION_KEYS is required in production/,
    );
    try {
      loadConfig({ KEY_ENCRYPTION_KEYS: 'k1:c2hvcnQ=' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as Error).message).toMatch(/KEY_ENCRYPTION_KEYS/);
      expect((error as Error).message).not.toContain('c2hvcnQ=');
    }
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ NODE_ENV: 'production', KEY_ENCRYPTION_KEYS: `k1:${key}` }).keyEncryptionKeys).toBe(
      `k1:${key}`,
    );
  });
});

describe('object store and model settings', () => {
  it('has defaults for S3 region, part size, path style and the model timeout', () => {
    const config = loadConfig({});
    expect(config.s3).toMatchObject({ region: 'us-east-1', partSize: 8 * 1024 * 1024, pathStyle: true });
    expect(config.model).toEqual({ timeoutMs: 60_000 });
  });

  it('reads and checks them', () => {
    const config = loadConfig({
      S3_REGION: 'eu-west-3',
      S3_PART_SIZE: String(16 * 1024 * 1024),
      S3_PATH_STYLE: 'false',
      MODEL_TIMEOUT_MS: '5000',
      MODEL_ROUTES: 'gpt-*=https://api.example.com/v1 key=OPENAI_API_KEY; echo=offline',
    });
    expect(config.s3).toMatchObject({ region: 'eu-west-3', partSize: 16 * 1024 * 1024, pathStyle: false });
    expect(config.model).toMatchObject({ timeoutMs: 5000, routes: expect.stringContaining('echo=offline') });
    expect(() => loadConfig({ S3_PART_SIZE: '1024' })).toThrow(
      /S3_PART_SIZE must be a whole number from 5242880/,
    );
    expect(() => loadConfig({ S3_PATH_STYLE: 'yes' })).toThrow(/S3_PATH_STYLE must be one of true, false/);
    expect(() => loadConfig({ MODEL_ROUTES: 'gpt-*=ftp://x' })).toThrow(
      /MODEL_ROUTES entry 1: the target must be an http\(s\) URL or "offline"/,
    );
  });
});
