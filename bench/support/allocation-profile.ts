import { Session } from 'node:inspector/promises';
import { packageOf } from './cpu-profile';

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/**
 * BENCH_PROMOTED. Samples allocations that outlived the young generation: objects a scavenge kept (promoted) and a
 * later full GC collected, plus what is still alive. Promotion is what makes scavenges slow and
 * full GCs frequent; this names who allocates it.
 */
export async function startPromotionProfile(): Promise<{ stop: (label: string) => Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: process.env.BENCH_ALLOCATED === '1', // every allocation instead,
  } as never);
  return {
    stop: async (label) => {
      const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
        profile: { head: SamplingNode };
      };
      session.disconnect();
      const bySite = new Map<string, number>();
      let total = 0;
      const walk = (node: SamplingNode, stack: string[]): void => {
        const frame = `${node.callFrame.functionName || '(anonymous)'} ${packageOf(node.callFrame.url, node.callFrame.functionName)}:${node.callFrame.lineNumber + 1}`;
        const path = [...stack, frame].slice(-3);
        if (node.selfSize > 0) {
          const site = path.join(' < ');
          bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
          total += node.selfSize;
        }
        for (const child of node.children) walk(child, path);
      };
      walk(profile.head, []);
      const top = [...bySite]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 25)
        .map(([site, bytes]) => `${((bytes / total) * 100).toFixed(1).padStart(5)} % ${site}`)
        .join('\n    ');
      console.log(`\n  promoted allocations, ${label}: ${(total / 1e6).toFixed(1)} MB sampled\n    ${top}\n`);
    },
  };
}
