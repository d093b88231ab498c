import type { ModelProvider } from './model-provider.port';
import { ModelRouter, type ModelRoute } from './model-router';
import { OfflineRetrievalResponder } from './offline-retrieval.responder';
import { OpenAiCompatibleProvider } from './openai-compatible.provider';

/** One entry of MODEL_ROUTES: `pattern=target[ key=ENV_VAR]`. */
export interface ModelRouteSpec {
  pattern: string;
  /** An http(s) base URL of an OpenAI-compatible endpoint, or `offline`. */
  target: string;
  /** Environment variable holding this endpoint's API key. */
  keyVariable?: string;
}

export class ModelRoutesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelRoutesError';
  }
}

/**
 * Parses MODEL_ROUTES, e.g.
 * `gpt-*=https://api.openai.com/v1 key=OPENAI_API_KEY; local-*=http://127.0.0.1:8080/v1; echo=offline`.
 * Entries are separated by `;`; the pattern is a model name, a prefix ending in `*`, or `*`.
 * Errors name the entry and never repeat a value that could be a secret.
 */
export function parseModelRoutes(text: string): ModelRouteSpec[] {
  const entries = text
    .split(';')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const patterns = new Set<string>();
  return entries.map((entry, i) => {
    const where = `MODEL_ROUTES entry ${i + 1}`;
    const [route = '', ...options] = entry.split(/\s+/);
    const equals = route.indexOf('=');
    if (equals <= 0) throw new ModelRoutesError(`${where} must look like "pattern=url" or "pattern=offline"`);
    const pattern = route.slice(0, equals);
    const target = route.slice(equals + 1);
    if (!/^(\*|[A-Za-z0-9._:/@-]+\*?)$/.test(pattern))
      throw new ModelRoutesError(
        `${where}: pattern "${pattern}" must be a model name, a prefix ending in *, or *`,
      );
    if (patterns.has(pattern)) throw new ModelRoutesError(`${where}: pattern "${pattern}" appears twice`);
    patterns.add(pattern);
    if (target !== 'offline') {
      let url: URL;
      try {
        url = new URL(target);
      } catch {
        throw new ModelRoutesError(`${where}: the target must be an http(s) URL or "offline"`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new ModelRoutesError(`${where}: the target must be an http(s) URL or "offline"`);
      if (url.username || url.password)
        throw new ModelRoutesError(`${where}: put credentials in a key variable (key=NAME), not in the URL`);
    }
    let keyVariable: string | undefined;
    for (const option of options) {
      const match = /^key=([A-Z][A-Z0-9_]*)$/.exec(option);
      if (!match) throw new ModelRoutesError(`${where}: unknown option (expected key=ENV_VARIABLE_NAME)`);
      if (target === 'offline') throw new ModelRoutesError(`${where}: the offline responder takes no key`);
      keyVariable = match[1];
    }
    return { pattern, target, ...(keyVariable ? { keyVariable } : {}) };
  });
}

export interface ModelProviderConfig {
  /** MODEL_BASE_URL: the endpoint for every model no route names. */
  baseUrl?: string;
  /** MODEL_API_KEY: its key, and the key of routes to the same base URL. */
  apiKey?: string;
  /** MODEL_ROUTES. */
  routes?: string;
  /** Default per-request timeout (proposed MODEL_TIMEOUT_MS, default 60000). */
  timeoutMs?: number;
}

/**
 * The router the platform uses: routes from MODEL_ROUTES; every other model goes to MODEL_BASE_URL
 * when set, else to the offline retrieval responder. `resolveKey` reads the key variables routes name.
 */
export function buildModelProvider(
  config: ModelProviderConfig,
  resolveKey: (variable: string) => string | undefined = (variable) => process.env[variable],
): ModelRouter {
  const offline = new OfflineRetrievalResponder();
  const endpoints = new Map<string, ModelProvider>();
  const endpoint = (baseUrl: string, apiKey: string | undefined): ModelProvider => {
    const id = `${baseUrl}\n${apiKey ?? ''}`;
    let provider = endpoints.get(id);
    if (!provider) {
      provider = new OpenAiCompatibleProvider({ baseUrl, apiKey, timeoutMs: config.timeoutMs });
      endpoints.set(id, provider);
    }
    return provider;
  };
  const routes: ModelRoute[] = parseModelRoutes(config.routes ?? '').map((spec) => {
    if (spec.target === 'offline') return { pattern: spec.pattern, provider: offline };
    let apiKey: string | undefined;
    if (spec.keyVariable) {
      apiKey = resolveKey(spec.keyVariable);
      if (!apiKey) throw new ModelRoutesError(`${spec.keyVariable}, named in MODEL_ROUTES, is not set`);
    } else if (config.baseUrl && sameEndpoint(spec.target, config.baseUrl)) {
      apiKey = config.apiKey;
    }
    return { pattern: spec.pattern, provider: endpoint(spec.target, apiKey) };
  });
  return new ModelRouter(routes, config.baseUrl ? endpoint(config.baseUrl, config.apiKey) : offline);
}

function sameEndpoint(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}
