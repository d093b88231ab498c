import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { deserializeEvent, type EventEnvelope, type Topic } from '@personae/contracts';
import { importPublicKey, verifyJson } from '@personae/crypto';
import { RECEIPT_PAYLOAD_TYPE, type SignedReceipt } from '@personae/runtime';
import { ScriptedOpenAiServer } from '../models/scripted-openai.server';
import {
  bootPlatform,
  call,
  mintKey,
  personToken,
  registryAs,
  signerAs,
  type Credential,
  type Platform,
} from '../registry/support';

export interface Cast {
  trainer: Credential;
  reviewers: Credential[];
  signer: Credential;
  orchestrator: Credential;
}

/**
 * The whole platform with its model endpoint on a scripted OpenAI server (a real socket), and the
 * people a persona needs. `env` adds to or overrides the model settings.
 */
export async function bootWithScriptedModel(
  tenant: string,
  env: Record<string, string> = {},
): Promise<{ platform: Platform; model: ScriptedOpenAiServer; cast: Cast }> {
  const model = await ScriptedOpenAiServer.start();
  let platform: Platform | undefined;
  try {
    platform = await bootPlatform(tenant, {
      env: {
        MODEL_BASE_URL: model.baseUrl,
        MODEL_API_KEY: 'sk-scripted',
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
        ...env,
      },
    });
    return { platform, model, cast: await castOf(platform) };
  } catch (error) {
    // The caller's afterAll never sees what this made: close it here.
    await platform?.stop();
    await model.close();
    throw error;
  }
}

/** The people a persona needs on its way to production, and the runtime's own key. */
export async function castOf(platform: Platform): Promise<Cast> {
  const reviewers = [await mintKey(platform, 'reviewer', 'r1'), await mintKey(platform, 'reviewer', 'r2')];
  const signer = await mintKey(platform, 'signer', 'release signer');
  await signerAs(platform, platform.admin).registerIdentity({
    subject: signer.subject,
    displayName: 'Release signer',
    roles: ['pack-signer'],
  });
  return {
    trainer: personToken(platform, 'alice', 'trainer'),
    reviewers,
    signer,
    orchestrator: await mintKey(platform, 'orchestrator', 'runtime caller'),
  };
}

/** Draft → two approvals → seal, through the real registry and signer; returns `name.vN`. */
export async function sealPersona(
  platform: Platform,
  cast: Cast,
  pack: Record<string, unknown>,
): Promise<string> {
  const as = (c: Credential) => registryAs(platform, c);
  const draft = await as(cast.trainer).createDraft(pack);
  await as(cast.trainer).submit(draft.id);
  await as(cast.reviewers[0]!).approve(draft.id);
  await as(cast.reviewers[1]!).approve(draft.id);
  const version = await as(cast.signer).seal(draft.id);
  return version.ref;
}

/** A knowledge snapshot from documents, as a pack's `spec.knowledge[]` entry. */
export async function snapshotOf(
  platform: Platform,
  cast: Cast,
  documents: { source: string; text: string }[],
) {
  const response = await call(platform, cast.trainer, 'POST', '/v1/knowledge/snapshots', { documents });
  if (response.status !== 201)
    throw new Error(`snapshot: ${response.status} ${JSON.stringify(response.body)}`);
  return (response.body as { ref: Record<string, unknown> }).ref;
}

/** A persona pack with the given system prompt, tools, knowledge and model settings. */
export function personaPack(
  name: string,
  options: {
    system: string;
    tools?: { name: string; description: string }[];
    knowledge?: Record<string, unknown>[];
    model?: string;
    maxTokens?: number;
    budget?: { maxCostPerRequest?: number; maxCostPerDay?: number };
    allowedActions?: string[];
  },
) {
  return {
    apiVersion: 'personae.dev/v1',
    kind: 'PersonaPack',
    metadata: {
      name,
      displayName: name.replace(/_/g, ' '),
      description: `The ${name} persona.`,
      category: 'research',
      tags: ['test'],
    },
    spec: {
      prompt: { system: options.system, safetyBoundaries: ['Never invent citations.'] },
      personality: { conscientiousness: 0.9, formality: 0.8 },
      style: { verbosity: 'concise' },
      capabilities: ['research'],
      tools: (options.tools ?? []).map((tool) => ({
        ...tool,
        inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
        sandbox: { timeoutMs: 2000 },
      })),
      knowledge: options.knowledge ?? [],
      models: {
        ...(options.model
          ? { primary: { model: options.model, temperature: 0.2, maxTokens: options.maxTokens ?? 200 } }
          : {}),
        ...(options.budget ? { budget: options.budget } : {}),
      },
      policy: {
        requiredApprovals: 2,
        allowedActions: options.allowedActions ?? ['chat', ...(options.tools ?? []).map((t) => t.name)],
      },
    },
  };
}

/** A tool endpoint over a real socket that records what it was asked. */
export class ToolServer {
  readonly calls: Record<string, unknown>[] = [];

  private constructor(private readonly server: Server) {}

  static async start(answer: (body: Record<string, unknown>) => unknown, delayMs = 0): Promise<ToolServer> {
    const holder: { self?: ToolServer } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        holder.self!.calls.push(body);
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(answer(body)));
        }, delayMs);
      });
    });
    const self = new ToolServer(server);
    holder.self = self;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/call`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Events of a topic for the platform's tenant, in log order. */
export async function eventsOf<T extends Topic>(platform: Platform, topic: T): Promise<EventEnvelope<T>[]> {
  const client = new Client({ connectionString: platform.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ value: string }>(
      `SELECT value FROM messaging.events WHERE topic = $1 AND headers->>'tenant-id' = $2 ORDER BY partition, "offset"`,
      [topic, platform.tenant],
    );
    return rows.map((row) => deserializeEvent(row.value) as EventEnvelope<T>);
  } finally {
    await client.end();
  }
}

/** Verifies a receipt with the key published at GET /v1/runtime/receipts/keys (no credentials). */
export async function verifyWithPublishedKey(platform: Platform, signed: SignedReceipt) {
  const response = await fetch(`${platform.url}/v1/runtime/receipts/keys`);
  const body = (await response.json()) as {
    payloadType: string;
    keys: { keyId: string; publicKeyPem: string }[];
  };
  const keys = new Map(body.keys.map((k) => [k.keyId, importPublicKey(k.publicKeyPem)]));
  return verifyJson(signed.receipt, signed.signature, RECEIPT_PAYLOAD_TYPE, keys);
}
