import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ConfigError, loadConfig } from '../../libs/config/app-config';
import { VARIABLES } from '../../libs/config/environment';

/**
 * docker-compose.yml, the Dockerfile and deploy/k8s cannot run on the development machine,
 * so they are held here to the configuration the code validates (libs/config/environment.ts).
 * Each check returns problems instead of asserting, so the second half can prove it catches
 * broken copies.
 */

const ROOT = join(__dirname, '..', '..');
const K8S = join(ROOT, 'deploy', 'k8s');
const SERVICES: Record<string, number> = {
  'persona-registry': 3001,
  'training-session': 3002,
  'synthesis-pipeline': 3003,
  'governance-policy': 3004,
  'runtime-orchestrator': 3005,
  signer: 3006,
  'audit-ledger': 3007,
};
/** Read by the image's CMD to pick dist/apps/<APP>/main.js; the code itself never reads it. */
const LAUNCHER_VARIABLES = new Set(['APP']);
const SPECS = new Map(VARIABLES.map((spec) => [spec.name, spec]));
const PLACEHOLDER = 'REPLACE_ME';

type Yaml = Record<string, unknown>;
type Env = Record<string, string>;
interface Manifest {
  file: string;
  doc: Yaml;
}

const isMap = (value: unknown): value is Yaml =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const map = (value: unknown): Yaml => (isMap(value) ? value : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
const strings = (value: unknown): Env =>
  Object.fromEntries(Object.entries(map(value)).map(([k, v]) => [k, str(v)]));

/** Unknown names, values a variable's check rejects, and the cross-variable rules of loadConfig. */
function environmentProblems(where: string, env: Env): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    const spec = SPECS.get(name);
    if (!spec) {
      if (!LAUNCHER_VARIABLES.has(name))
        problems.push(`${where}: ${name} is not a variable in libs/config/environment.ts`);
      continue;
    }
    const reason = value === '' ? undefined : spec.check?.(value);
    if (reason)
      problems.push(`${where}: ${name} ${reason}${spec.secret ? '' : ` (got ${JSON.stringify(value)})`}`);
  }
  if (problems.length === 0) {
    try {
      loadConfig(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems.map((p) => `${where}: ${p}`));
    }
  }
  return problems;
}

/** Compose interpolation as `docker compose` does it with nothing set in the shell or .env. */
function interpolate(value: string, shell: Env = {}): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_]\w*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_]\w*)/g,
    (whole, braced?: string, op?: string, fallback?: string, bare?: string) => {
      if (whole === '$$') return '$';
      const name = braced ?? bare ?? '';
      const set = shell[name];
      if (op === ':-') return set ? set : (fallback ?? '');
      if (op === '-') return set ?? fallback ?? '';
      return set ?? '';
    },
  );
}

/** Hosts a service's environment points at: URL hosts and Kafka brokers. */
function referencedHosts(env: Env): string[] {
  const hosts = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((broker) => broker.trim().split(':')[0] ?? '')
    .filter(Boolean);
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'S3_ENDPOINT', 'QDRANT_URL', 'MODEL_BASE_URL']) {
    if (env[name]) hosts.push(new URL(env[name]).hostname);
  }
  return hosts;
}

function composeProblems(compose: Yaml): string[] {
  const problems: string[] = [];
  const services = map(compose.services);
  const dependsOn = (name: string): Yaml => map(map(services[name]).depends_on);
  // healthy, or behind a one-shot job that itself waited for it to be healthy
  const gatedOn = (from: string, target: string, seen = new Set<string>()): boolean =>
    Object.entries(dependsOn(from)).some(([dep, rule]) => {
      const condition = str(map(rule).condition);
      if (dep === target) return condition === 'service_healthy';
      if (seen.has(dep) || !['service_healthy', 'service_completed_successfully'].includes(condition))
        return false;
      return gatedOn(dep, target, seen.add(dep));
    });

  for (const [name, raw] of Object.entries(services)) {
    for (const [dep, rule] of Object.entries(dependsOn(name))) {
      if (!(dep in services)) problems.push(`compose ${name}: depends on unknown service ${dep}`);
      const condition = str(map(rule).condition);
      if (condition === 'service_healthy' && !map(services[dep]).healthcheck) {
        problems.push(`compose ${name}: waits for ${dep} to be healthy but ${dep} has no healthcheck`);
      }
    }
    if (!map(raw).build) continue;

    const where = `compose ${name}`;
    const rawEnv = strings(map(raw).environment);
    const env = Object.fromEntries(Object.entries(rawEnv).map(([k, v]) => [k, interpolate(v)]));
    const port = SERVICES[name];
    if (port === undefined) problems.push(`${where}: builds the image but is not a known app`);
    if (env.APP !== name) problems.push(`${where}: APP is ${env.APP}, expected ${name}`);
    if (env.PORT !== String(port)) problems.push(`${where}: PORT is ${env.PORT}, expected ${port}`);
    if (!list(map(raw).ports).map(str).includes(`${port}:${port}`))
      problems.push(`${where}: host port ${port} not mapped`);
    if (str(map(map(raw).build).dockerfile) !== 'Dockerfile')
      problems.push(`${where}: not built from ./Dockerfile`);
    if (map(raw).command !== undefined) problems.push(`${where}: overrides the image's CMD; set APP instead`);
    problems.push(...environmentProblems(where, env));

    for (const host of referencedHosts(env)) {
      if (!(host in services)) problems.push(`${where}: points at ${host}, which is not a compose service`);
      else if (!gatedOn(name, host)) problems.push(`${where}: starts before ${host} is healthy (depends_on)`);
    }
    for (const [key, value] of Object.entries(rawEnv)) {
      if (!SPECS.get(key)?.secret || env[key] === '') continue;
      if (!value.includes('${') || !/dev/.test(env[key] ?? '')) {
        problems.push(`${where}: ${key} must come from .env with an obviously dev-only default`);
      }
    }
    problems.push(...infrastructureProblems(where, env, services));
  }
  for (const app of Object.keys(SERVICES)) {
    if (!map(services[app]).build) problems.push(`compose: no service ${app} built from the Dockerfile`);
  }
  return problems;
}

/** The credentials and bucket the services use are the ones the infrastructure is given. */
function infrastructureProblems(where: string, env: Env, services: Yaml): string[] {
  const problems: string[] = [];
  const envOf = (name: string): Env =>
    Object.fromEntries(
      Object.entries(strings(map(services[name]).environment)).map(([k, v]) => [k, interpolate(v)]),
    );
  if (env.DATABASE_URL) {
    const db = new URL(env.DATABASE_URL);
    const pg = envOf(db.hostname);
    const given = [db.username, decodeURIComponent(db.password), db.pathname.slice(1)];
    if (given.join('\n') !== [pg.POSTGRES_USER, pg.POSTGRES_PASSWORD, pg.POSTGRES_DB].join('\n')) {
      problems.push(
        `${where}: DATABASE_URL user, password or database differs from the ${db.hostname} service`,
      );
    }
  }
  if (env.S3_ENDPOINT) {
    const minio = envOf(new URL(env.S3_ENDPOINT).hostname);
    if (env.S3_ACCESS_KEY !== minio.MINIO_ROOT_USER || env.S3_SECRET_KEY !== minio.MINIO_ROOT_PASSWORD) {
      problems.push(`${where}: S3_ACCESS_KEY/S3_SECRET_KEY differ from MinIO's credentials`);
    }
    const bucket = env.S3_BUCKET || (SPECS.get('S3_BUCKET')?.default ?? '');
    const creates = Object.values(services).some(
      (s) =>
        str(map(s).image).includes('minio/mc') &&
        interpolate(JSON.stringify(map(s).command)).includes(`/${bucket}`),
    );
    if (!creates) problems.push(`${where}: no minio/mc job creates bucket ${bucket}`);
  }
  if (env.REDIS_URL) {
    const redis = new URL(env.REDIS_URL);
    const command = list(map(services[redis.hostname]).command).map((part) => interpolate(str(part)));
    if (redis.password && !command.includes(decodeURIComponent(redis.password))) {
      problems.push(`${where}: REDIS_URL password is not the one redis is started with`);
    }
  }
  return problems;
}

function dockerfileProblems(dockerfile: string): string[] {
  const problems: string[] = [];
  const instructions = dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages = instructions.reduce<string[][]>((acc, line) => {
    if (/^FROM\s/i.test(line)) acc.push([]);
    acc.at(-1)?.push(line);
    return acc;
  }, []);
  const runtime = stages.at(-1) ?? [];
  const has = (lines: string[], pattern: RegExp): boolean => lines.some((line) => pattern.test(line));
  if (stages.length < 2) problems.push('Dockerfile: not multi-stage');
  if (!has(instructions, /^ARG NODE_IMAGE=node:20-slim$/) && !has(runtime, /^FROM node:20-slim/)) {
    problems.push('Dockerfile: runtime is not node:20-slim');
  }
  if (!has(instructions, /^RUN .*npm ci(?! --omit)/) || !has(instructions, /^RUN .*npm run build/)) {
    problems.push('Dockerfile: does not build with npm ci && npm run build');
  }
  if (!has(instructions, /npm ci --omit=dev/))
    problems.push('Dockerfile: production deps not installed with --omit=dev');
  if (!has(runtime, /^USER (?!0\b|root\b)\S+/)) problems.push('Dockerfile: runtime runs as root');
  if (!has(runtime, /^ARG APP=platform$/)) problems.push('Dockerfile: APP does not default to platform');
  if (!has(runtime, /^CMD .*dist\/apps\/\$\{APP\}\/main\.js/))
    problems.push('Dockerfile: CMD does not start dist/apps/${APP}/main.js');
  if (!has(runtime, /^HEALTHCHECK .*CMD \["node".*\/health\/live/))
    problems.push('Dockerfile: no node HEALTHCHECK on /health/live');

  const env: Env = {};
  for (const line of runtime.filter((l) => /^ENV\s/i.test(l))) {
    for (const [, name = '', value = ''] of line.slice(4).matchAll(/([A-Za-z_]\w*)=("[^"]*"|\S*)/g)) {
      if (!value.includes('${')) env[name] = value.replace(/^"|"$/g, '');
    }
  }
  if (env.NODE_ENV !== 'production' || env.HOST !== '0.0.0.0')
    problems.push('Dockerfile: needs NODE_ENV=production, HOST=0.0.0.0');
  // Secrets are supplied when the container runs, never baked into the image.
  const runtimeSecrets: Env = { KEY_ENCRYPTION_KEYS: `run-time:${Buffer.alloc(32).toString('base64')}` };
  problems.push(...environmentProblems('Dockerfile', { ...runtimeSecrets, ...env }));
  return problems;
}

function kubernetesProblems(manifests: Manifest[], kustomization: Yaml): string[] {
  const problems: string[] = [];
  const of = (kind: string): Manifest[] => manifests.filter((m) => m.doc.kind === kind);
  const named = (kind: string, name: string): Manifest | undefined =>
    of(kind).find((m) => map(m.doc.metadata).name === name);
  const imageNames = new Set(list(kustomization.images).map((image) => str(map(image).name)));

  for (const { file, doc } of of('Secret')) {
    if (doc.data !== undefined) problems.push(`${file}: use stringData placeholders, not data`);
    for (const [key, value] of Object.entries(strings(doc.stringData))) {
      if (!value.includes(PLACEHOLDER))
        problems.push(`${file}: ${key} looks like a real secret (no ${PLACEHOLDER})`);
    }
  }
  for (const { file, doc } of of('ConfigMap')) {
    for (const key of Object.keys(map(doc.data))) {
      if (SPECS.get(key)?.secret) problems.push(`${file}: ${key} is a secret and belongs in the Secret`);
    }
  }

  for (const [app, port] of Object.entries(SERVICES)) {
    const deployment = named('Deployment', app);
    if (!deployment) {
      problems.push(`k8s: no Deployment ${app}`);
      continue;
    }
    const where = `${deployment.file} ${app}`;
    const template = map(map(deployment.doc.spec).template);
    const pod = map(template.spec);
    const container = map(list(pod.containers)[0]);
    const env: Env = {};
    for (const source of list(container.envFrom).map(map)) {
      const ref = source.configMapRef ?? source.secretRef;
      const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
      const target = named(kind, str(map(ref).name));
      if (!target) problems.push(`${where}: envFrom ${kind} ${str(map(ref).name)} has no manifest`);
      else Object.assign(env, strings(kind === 'ConfigMap' ? target.doc.data : target.doc.stringData));
    }
    for (const entry of list(container.env).map(map)) env[str(entry.name)] = str(entry.value);
    problems.push(...environmentProblems(where, env));

    if (env.PORT !== String(port)) problems.push(`${where}: PORT is ${env.PORT}, expected ${port}`);
    const containerPorts = list(container.ports).map(map);
    if (!containerPorts.some((p) => str(p.containerPort) === String(port) && p.name === 'http')) {
      problems.push(`${where}: container port http is not ${port}`);
    }
    if (!imageNames.has(str(container.image)))
      problems.push(`${where}: image ${str(container.image)} not mapped in kustomization`);
    if (list(container.command).map(str).join(' ') !== `node dist/apps/${app}/main.js`) {
      problems.push(`${where}: command does not start dist/apps/${app}/main.js`);
    }
    const probe = (name: string): string => {
      const get = map(map(container[name]).httpGet);
      return `${str(get.path)}@${str(get.port)}`;
    };
    if (probe('readinessProbe') !== '/health/ready@http')
      problems.push(`${where}: readiness is not /health/ready`);
    if (probe('livenessProbe') !== '/health/live@http')
      problems.push(`${where}: liveness is not /health/live`);
    const resources = map(container.resources);
    for (const bound of ['requests', 'limits']) {
      if (!map(resources[bound]).cpu || !map(resources[bound]).memory)
        problems.push(`${where}: no cpu/memory ${bound}`);
    }
    const security = map(container.securityContext);
    if (map(pod.securityContext).runAsNonRoot !== true) problems.push(`${where}: pod is not runAsNonRoot`);
    if (security.readOnlyRootFilesystem !== true || security.allowPrivilegeEscalation !== false) {
      problems.push(`${where}: root filesystem writable or privilege escalation allowed`);
    }
    const tmp = list(container.volumeMounts)
      .map(map)
      .find((m) => m.mountPath === '/tmp');
    const volume = list(pod.volumes)
      .map(map)
      .find((v) => v.name === tmp?.name);
    if (!volume?.emptyDir) problems.push(`${where}: /tmp is not an emptyDir`);
    const annotations = strings(map(template.metadata).annotations);
    if (
      annotations['prometheus.io/scrape'] !== 'true' ||
      annotations['prometheus.io/port'] !== String(port)
    ) {
      problems.push(`${where}: prometheus annotations do not scrape port ${port}`);
    }
    if (annotations['prometheus.io/path'] !== '/metrics')
      problems.push(`${where}: prometheus path is not /metrics`);

    const service = named('Service', app);
    const podLabels = strings(map(template.metadata).labels);
    const selector = Object.entries(strings(map(service?.doc.spec).selector));
    const servicePort = list(map(service?.doc.spec).ports).map(map)[0];
    if (!service || selector.length === 0 || selector.some(([k, v]) => podLabels[k] !== v)) {
      problems.push(`k8s: Service ${app} missing or not selecting its pods`);
    } else if (str(servicePort?.port) !== String(port) || str(servicePort?.targetPort) !== 'http') {
      problems.push(`k8s: Service ${app} does not expose ${port} -> http`);
    }
  }
  for (const { doc } of of('Deployment')) {
    const name = str(map(doc.metadata).name);
    if (!(name in SERVICES)) problems.push(`k8s: Deployment ${name} is not a known app`);
  }
  return problems;
}

// --- loading ----------------------------------------------------------------------------

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const loadCompose = (): Yaml => map(parse(read('docker-compose.yml'), { merge: true }));
const k8sFiles = (dir = K8S): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? k8sFiles(join(dir, entry.name))
      : /\.ya?ml$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
const loadKustomization = (): Yaml => map(parse(read('deploy/k8s/kustomization.yaml')));
/** What `kubectl apply -k` ships, plus the templates (*.example.yaml) operators fill in. */
function loadManifests(): Manifest[] {
  const resources = list(loadKustomization().resources).map(str);
  const files = [
    ...resources.map((r) => join(K8S, r)),
    ...k8sFiles().filter((f) => f.endsWith('.example.yaml')),
  ];
  return files.flatMap((path) =>
    parseAllDocuments(readFileSync(path, 'utf8')).map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]?.message}`);
      return { file: relative(ROOT, path), doc: map(doc.toJS()) };
    }),
  );
}

describe('deploy files agree with libs/config/environment.ts', () => {
  it('docker-compose.yml: every Personae service, known variables, accepted values, gated start', () => {
    expect(composeProblems(loadCompose())).toEqual([]);
  });

  it('Dockerfile: multi-stage, non-root, APP-selected entry, node healthcheck, accepted ENV', () => {
    expect(dockerfileProblems(read('Dockerfile'))).toEqual([]);
  });

  it('deploy/k8s: every app with its port, probes, limits, security and accepted config', () => {
    expect(kubernetesProblems(loadManifests(), loadKustomization())).toEqual([]);
  });

  it('deploy/k8s: kustomization lists every manifest, and never the secret templates', () => {
    const resources = list(loadKustomization().resources).map((r) => join(K8S, str(r)));
    const manifests = k8sFiles().filter((f) => !f.endsWith('kustomization.yaml'));
    expect(manifests.filter((f) => !f.endsWith('.example.yaml')).sort()).toEqual([...resources].sort());
    expect(resources.filter((f) => f.endsWith('.example.yaml'))).toEqual([]);
  });

  it('the deployed apps are the applications nest-cli.json builds, besides platform', () => {
    const projects = Object.entries(map(map(parse(read('nest-cli.json'))).projects));
    const apps = projects.filter(([, p]) => map(p).type === 'application').map(([name]) => name);
    expect(apps.filter((a) => a !== 'platform').sort()).toEqual(Object.keys(SERVICES).sort());
  });
});

describe('the deploy checks catch broken files', () => {
  const compose = (): Yaml => loadCompose();
  const service = (doc: Yaml, name: string): Yaml => map(map(doc.services)[name]);
  const envOf = (doc: Yaml, name: string): Yaml => map(service(doc, name).environment);

  it.each<[string, (doc: Yaml) => void, RegExp]>([
    [
      'a value its check rejects',
      (d) => (envOf(d, 'signer').PORT = 'eighty'),
      /signer: PORT must be a whole number/,
    ],
    [
      'a variable the code does not read',
      (d) => (envOf(d, 'signer').DATABSE_URL = 'x'),
      /DATABSE_URL is not a variable/,
    ],
    [
      'a short JWT secret',
      (d) => (envOf(d, 'signer').AUTH_JWT_SECRET = '${X:-dev}'),
      /AUTH_JWT_SECRET must be at least 32/,
    ],
    [
      'S3 without credentials',
      (d) => (envOf(d, 'signer').S3_SECRET_KEY = ''),
      /S3_ACCESS_KEY and S3_SECRET_KEY are required/,
    ],
    [
      'a wrong port',
      (d) => (envOf(d, 'audit-ledger').PORT = '3001'),
      /audit-ledger: PORT is 3001, expected 3007/,
    ],
    ['a missing app', (d) => delete map(d.services)['training-session'], /no service training-session/],
    [
      'an ungated start',
      (d) => (map(service(d, 'signer').depends_on).kafka = {}),
      /signer: starts before kafka is healthy/,
    ],
    [
      'a hard-coded secret',
      (d) => (envOf(d, 'signer').MODEL_API_KEY = 'sk-live-abc'),
      /MODEL_API_KEY must come from .env/,
    ],
    [
      'a bucket nobody creates',
      (d) => (envOf(d, 'signer').S3_BUCKET = 'other'),
      /no minio\/mc job creates bucket other/,
    ],
    [
      'a password Postgres does not know',
      (d) => (envOf(d, 'postgres').POSTGRES_PASSWORD = 'x'),
      /DATABASE_URL user/,
    ],
  ])('compose: %s', (_, breakIt, problem) => {
    const doc = compose();
    breakIt(doc);
    expect(composeProblems(doc).join('\n')).toMatch(problem);
  });

  const deployment = (manifests: Manifest[], name: string): Yaml =>
    map(manifests.find((m) => m.doc.kind === 'Deployment' && map(m.doc.metadata).name === name)?.doc);
  const container = (doc: Yaml): Yaml => map(list(map(map(map(doc.spec).template).spec).containers)[0]);
  const docOf = (manifests: Manifest[], kind: string): Yaml =>
    map(manifests.find((m) => m.doc.kind === kind)?.doc);

  it.each<[string, (manifests: Manifest[]) => void, RegExp]>([
    [
      'a real-looking secret',
      (m) => (map(docOf(m, 'Secret').stringData).S3_SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG'),
      /S3_SECRET_KEY looks like a real secret/,
    ],
    [
      'a secret in the ConfigMap',
      (m) => (map(docOf(m, 'ConfigMap').data).AUTH_JWT_SECRET = 'x'.repeat(40)),
      /AUTH_JWT_SECRET is a secret/,
    ],
    [
      'a value its check rejects',
      (m) => (map(docOf(m, 'ConfigMap').data).KAFKA_BROKERS = 'kafka'),
      /KAFKA_BROKERS must be host:port/,
    ],
    [
      'an unknown variable',
      (m) => list(container(deployment(m, 'signer')).env).push({ name: 'SIGNER_KEY', value: 'k' }),
      /SIGNER_KEY is not a variable/,
    ],
    [
      'a wrong readiness path',
      (m) => (map(map(container(deployment(m, 'signer')).readinessProbe).httpGet).path = '/health/live'),
      /signer: readiness/,
    ],
    [
      'a wrong command',
      (m) => (container(deployment(m, 'signer')).command = ['node', 'dist/apps/platform/main.js']),
      /signer: command/,
    ],
    [
      'a writable root filesystem',
      (m) => delete map(container(deployment(m, 'audit-ledger')).securityContext).readOnlyRootFilesystem,
      /audit-ledger: root filesystem/,
    ],
  ])('k8s: %s', (_, breakIt, problem) => {
    const manifests = loadManifests();
    breakIt(manifests);
    expect(kubernetesProblems(manifests, loadKustomization()).join('\n')).toMatch(problem);
  });

  it('Dockerfile: a root runtime and an unchecked ENV', () => {
    const broken = read('Dockerfile')
      .replace(/^USER .*$/m, 'USER root')
      .replace('HOST=0.0.0.0', 'HOST=0.0.0.0 LOG_LEVEL=loud');
    const problems = dockerfileProblems(broken).join('\n');
    expect(problems).toMatch(/runs as root/);
    expect(problems).toMatch(/LOG_LEVEL must be one of/);
  });
});
