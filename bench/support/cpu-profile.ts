import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
}

/**
 * Samples this process' CPU until stop(), then prints self time by package and by function, and
 * keeps the .cpuprofile (for DevTools) in the temp dir.
 */
export async function startCpuProfile(bench: string): Promise<{ stop: (label?: string) => Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return {
    stop: async (label) => {
      const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
      session.disconnect();
      const file = join(tmpdir(), `${bench}-bench-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
      const byPackage = new Map<string, number>();
      const byFunction = new Map<string, number>();
      let busy = 0;
      for (const id of profile.samples) {
        const frame = frames.get(id)!;
        if (frame.functionName === '(idle)') continue;
        busy++;
        const where = packageOf(frame.url, frame.functionName);
        byPackage.set(where, (byPackage.get(where) ?? 0) + 1);
        const fn = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
        byFunction.set(fn, (byFunction.get(fn) ?? 0) + 1);
      }
      const top = (counts: Map<string, number>, n: number): string =>
        [...counts]
          .sort((a, b) => b[1] - a[1])
          .slice(0, n)
          .map(([key, count]) => `${((count / busy) * 100).toFixed(1)} % ${key}`)
          .join('\n    ');
      console.log(
        `\n  profile of the server${label ? `, ${label}` : ''} (${file}); self time, % of busy samples:`,
      );
      console.log(`    ${top(byPackage, 16)}\n  top functions:\n    ${top(byFunction, 25)}\n`);
    },
  };
}

/** Where a frame's code lives: an npm package, a node: module, or one of our libs/apps. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module) return module[1]!;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  return /\/((?:libs|apps)\/[^/]+|bench)\//.exec(url)?.[1] ?? url;
}
