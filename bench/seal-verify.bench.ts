/**
 * Seal and verify persona packs (issue 3). Seal = canonicalize a ~10 KB pack (RFC 8785), SHA-256,
 * in-toto statement, DSSE Ed25519 signature, Merkle append + inclusion proof + signed checkpoint,
 * Sigstore bundle. Verify = the runtime's full verifySealedPack from bundle text to verdict.
 * Medians of 5 runs, printed against the target (verify ≥ 5,000/s in process), plus the issue 8
 * figures the same primitives serve: Merkle rebuild from 1M leaf hashes, hash-chain verify of 1M.
 *
 *   node -r @swc-node/register bench/seal-verify.bench.ts
 *
 * BENCH_SEALS (2000 per run), BENCH_VERIFIES (2000 distinct bundles per run), BENCH_RUNS (5),
 * BENCH_IN_FLIGHT (32 concurrent verifySealedPackAsync calls).
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  canonicalize,
  chainHash,
  generateSigningKeyPair,
  GENESIS_HASH,
  hashLeaf,
  MerkleTree,
  signBytes,
  TransparencyLog,
  verifyBytes,
  verifyHashChain,
  type ChainLink,
} from '@personae/crypto';
import {
  canonicalPackBytes,
  sealPack,
  TrustedLog,
  verifySealedPack,
  verifySealedPackAsync,
  type TrustedSigner,
  type VerifySealedPackInput,
  type VerifySealedPackResult,
} from '@personae/trust';

const SEALS = Number(process.env.BENCH_SEALS ?? 2000);
const VERIFIES = Number(process.env.BENCH_VERIFIES ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** Verifications in flight for the async variant (thread-pool Ed25519). */
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 32);
const TARGET_VERIFY = 5000;
const TARGET_CHAIN_MS = 10_000;

/** A pack shaped like ARCHITECTURE.md's, about 10 KB canonical. */
function realisticPack(version: number): Record<string, unknown> {
  const lorem = (n: number, seed: string): string =>
    Array.from({ length: n }, (_, i) => `${seed}${i}`).join(' ');
  return {
    apiVersion: 'personae.dev/v1',
    kind: 'PersonaPack',
    metadata: {
      name: 'biology_researcher',
      version,
      displayName: 'Biology researcher',
      description: lorem(40, 'describes '),
      category: 'science',
      tags: ['biology', 'research', 'lab', 'papers'],
      tenant: 'acme',
      createdBy: 'trainer-17',
    },
    spec: {
      prompt: {
        system: lorem(180, 'guideline '),
        tone: 'precise, warm',
        vocabulary: ['assay', 'phenotype', 'allele', 'cohort', 'p-value'],
        safetyBoundaries: ['no medical diagnosis', 'no lab protocols for pathogens', 'cite sources'],
        starterPrompts: Array.from({ length: 8 }, (_, i) => `Explain experiment design number ${i}`),
        examples: Array.from({ length: 6 }, (_, i) => ({
          input: `question ${i}?`,
          output: lorem(20, `answer${i}-`),
        })),
      },
      personality: {
        openness: 0.85,
        conscientiousness: 0.9,
        extraversion: 0.35,
        agreeableness: 0.7,
        neuroticism: 0.1,
        formality: 0.6,
        enthusiasm: 0.55,
      },
      style: { verbosity: 0.5, tone: 0.6, humor: 0.1, technicalDepth: 0.9, empathy: 0.5, proactivity: 0.4 },
      capabilities: ['research', 'analysis', 'summarization', 'citation'],
      tools: Array.from({ length: 6 }, (_, i) => ({
        name: `tool_${i}`,
        description: lorem(12, `tool${i} `),
        inputSchema: {
          type: 'object',
          properties: { query: { type: 'string' }, limit: { type: 'integer', minimum: 1 } },
          required: ['query'],
        },
        sandbox: 'network-none',
        credentialScopes: [`scope:${i}:read`],
        heuristics: ['prefer primary literature'],
      })),
      knowledge: [
        { snapshot: 'kb-2024-11', embedder: 'hashing-v1', manifestDigest: 'e'.repeat(64), chunks: 1843 },
      ],
      models: {
        preSlm: 'small-router',
        primary: { model: 'gpt-4o', temperature: 0.2, maxTokens: 2048 },
        fallback: [{ model: 'offline-retrieval', temperature: 0, maxTokens: 1024 }],
        budget: { maxCostPerRequest: 0.05, maxCostPerDay: 25 },
      },
      policy: {
        allowedActions: ['answer', 'search', 'summarize'],
        blockedActions: ['send-email', 'execute-code'],
        piiRedaction: true,
        requiredApprovals: 2,
        audit: 'full',
        escalation: { to: 'human-reviewer', after: 'two refusals' },
        governancePolicy: 'science-default-v3',
      },
      validation: Array.from({ length: 5 }, (_, i) => ({
        name: `check ${i}`,
        input: `probe ${i}`,
        expect: { contains: ['source'] },
      })),
    },
    provenance: {
      base: 'researcher-template.v2',
      trainingSessions: ['s-1', 's-2', 's-3'],
      changes: Array.from({ length: 12 }, (_, i) => ({
        path: `/spec/prompt/examples/${i % 6}`,
        reason: lorem(6, 'because '),
        events: [`evt-${i}`],
      })),
    },
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ok = (pass: boolean): string => (pass ? 'PASS' : 'MISS');
const rate = (count: number, ms: number): number => count / (ms / 1000);

interface Scenario {
  label: string;
  async: boolean;
  bytes: boolean;
  known: boolean;
}

function check(result: VerifySealedPackResult): void {
  if (!result.ok) throw new Error(`verification failed ${result.check}: ${result.reason}`);
}

async function main(): Promise<void> {
  const signer = generateSigningKeyPair();
  const logKey = generateSigningKeyPair();
  const approvals = [{ by: 'reviewer-1', role: 'reviewer', at: '2024-11-21T10:00:00Z' }];
  const governanceReportDigest = 'd'.repeat(64);
  const packBytes = canonicalize(realisticPack(1)).length;
  const trustedKeys = new Map<string, TrustedSigner>([
    [signer.keyId, { publicKey: signer.publicKey, roles: ['pack-signer'] }],
  ]);
  // As the runtime gets them: parsed from JSON text (flat strings), each a distinct object.
  const packs = Array.from(
    { length: Math.max(SEALS, VERIFIES) },
    (_, i) => JSON.parse(JSON.stringify(realisticPack(i + 1))) as Record<string, unknown>,
  );

  // Calibration: the same machine's raw Ed25519 verify rate, the ceiling for one signature per bundle.
  const message = Buffer.alloc(700, 1);
  const signature = signBytes(signer.privateKey, message);
  const raw: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const t = performance.now();
    for (let i = 0; i < VERIFIES; i++) verifyBytes(signer.publicKey, message, signature);
    raw.push(rate(VERIFIES, performance.now() - t));
  }

  const scenarios: Scenario[] = [
    {
      label: 'sync, pack object, checkpoints new (2 Ed25519 verifies)',
      async: false,
      bytes: false,
      known: false,
    },
    { label: 'sync, pack object, checkpoints known', async: false, bytes: false, known: true },
    { label: 'sync, pack canonical bytes, checkpoints known', async: false, bytes: true, known: true },
    { label: `async ×${IN_FLIGHT}, pack object, checkpoints new`, async: true, bytes: false, known: false },
    { label: `async ×${IN_FLIGHT}, pack object, checkpoints known`, async: true, bytes: false, known: true },
    {
      label: `async ×${IN_FLIGHT}, pack canonical bytes, checkpoints known`,
      async: true,
      bytes: true,
      known: true,
    },
  ];
  const sealRates: number[] = [];
  const verifyRates = scenarios.map(() => [] as number[]);
  for (let run = 0; run < RUNS; run++) {
    const log = new TransparencyLog('log.personae.bench', logKey);
    const t = performance.now();
    const sealed = packs
      .slice(0, SEALS)
      .map((pack) => sealPack({ pack, approvals, governanceReportDigest, signer, log }));
    sealRates.push(rate(SEALS, performance.now() - t));

    const bundles = sealed.slice(0, VERIFIES).map((s) => JSON.stringify(s.bundle));
    const bytes = packs.slice(0, VERIFIES).map((p) => canonicalPackBytes(p));
    const known = new TrustedLog('log.personae.bench', logKey.publicKey, VERIFIES);
    for (const s of sealed)
      known.open(s.bundle.verificationMaterial.tlogEntries[0]!.inclusionProof.checkpoint.envelope);
    for (const [n, scenario] of scenarios.entries()) {
      // "new": a fresh TrustedLog has verified none of the bundles' checkpoints yet.
      const log = scenario.known ? known : new TrustedLog('log.personae.bench', logKey.publicKey, VERIFIES);
      const inputOf = (i: number): VerifySealedPackInput => ({
        bundle: bundles[i],
        pack: scenario.bytes ? bytes[i] : packs[i],
        expected: { name: 'biology_researcher' },
        trustedKeys,
        transparencyLog: { log },
      });
      const start = performance.now();
      if (scenario.async) {
        let next = 0;
        const worker = async (): Promise<void> => {
          while (next < bundles.length) check(await verifySealedPackAsync(inputOf(next++)));
        };
        await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      } else {
        for (let i = 0; i < bundles.length; i++) check(verifySealedPack(inputOf(i)));
      }
      verifyRates[n]!.push(rate(bundles.length, performance.now() - start));
    }
  }

  console.log(
    `seal and verify: ${packBytes} B canonical pack, Ed25519, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}`,
  );
  console.log(`calibration, raw Ed25519 verify of a 700 B message now: ${Math.round(median(raw))}/s`);
  console.log(
    `seal (canonicalize + sign + Merkle append + proof + signed checkpoint + bundle): ${Math.round(median(sealRates))} seals/s`,
  );
  for (const [n, scenario] of scenarios.entries()) {
    const value = median(verifyRates[n]!);
    console.log(
      `verify (full verifySealedPack), ${scenario.label}: ${Math.round(value)}/s — target ≥ ${TARGET_VERIFY}: ${ok(value >= TARGET_VERIFY)}`,
    );
  }

  const leafHashes = Array.from({ length: 1_000_000 }, (_, i) => hashLeaf(Buffer.from(`leaf ${i}`)));
  const rebuild: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const t = performance.now();
    MerkleTree.fromLeafHashes(leafHashes);
    rebuild.push(performance.now() - t);
  }
  console.log(`Merkle rebuild from 1,000,000 stored leaf hashes: ${Math.round(median(rebuild))} ms`);

  const links: ChainLink[] = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < 1_000_000; i++) {
    const entry = Buffer.from(
      `{"id":"${randomBytes(8).toString('hex')}","seq":${i},"type":"persona.lifecycle"}`,
    );
    prev = chainHash(prev, entry);
    links.push({ entry, hash: prev });
  }
  const chain: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const t = performance.now();
    const verdict = verifyHashChain(links);
    if (!verdict.ok) throw new Error('chain broke');
    chain.push(performance.now() - t);
  }
  console.log(
    `hash-chain verify of 1,000,000 entries: ${Math.round(median(chain))} ms — target ≤ ${TARGET_CHAIN_MS} ms: ${ok(median(chain) <= TARGET_CHAIN_MS)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
