import {
  constants,
  monitorEventLoopDelay,
  PerformanceObserver,
  type PerformanceEntry,
} from 'node:perf_hooks';

interface Pauses {
  count: number;
  totalMs: number;
  maxMs: number;
}

export interface PauseReport {
  /** Young-generation collections (scavenges): each stops the event loop. */
  scavenges: Pauses;
  /** Full and incremental mark-compact steps on the main thread. */
  markCompacts: Pauses;
  /** How late the event loop ran a 1 ms timer: what any request waiting on it also waited. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

/**
 * Watches this process' garbage-collection pauses and event-loop delay until stop(). A request that
 * meets a 9 ms scavenge is a 9 ms tail however fast the code is; this says how much of a p99 that is.
 */
export function watchPauses(): { stop: () => PauseReport } {
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  return {
    stop: () => {
      observer.disconnect();
      delay.disable();
      const kindOf = (entry: PerformanceEntry) =>
        (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      const pauses = (kinds: number[]): Pauses => {
        const durations = entries.filter((e) => kinds.includes(kindOf(e) ?? -1)).map((e) => e.duration);
        return {
          count: durations.length,
          totalMs: durations.reduce((sum, d) => sum + d, 0),
          maxMs: durations.length > 0 ? Math.max(...durations) : 0,
        };
      };
      return {
        scavenges: pauses([constants.NODE_PERFORMANCE_GC_MINOR]),
        markCompacts: pauses([
          constants.NODE_PERFORMANCE_GC_MAJOR,
          constants.NODE_PERFORMANCE_GC_INCREMENTAL,
        ]),
        // The histogram counts the timer's resolution too: 1 ms is "on time".
        loopDelayP99Ms: delay.percentile(99) / 1e6,
        loopDelayMaxMs: delay.max / 1e6,
      };
    },
  };
}

/** One line for a bench's output. */
export function describePauses(report: PauseReport): string {
  const { scavenges: s, markCompacts: m } = report;
  const fixed = (n: number) => n.toFixed(1);
  return (
    `GC pauses: ${s.count} scavenges (total ${fixed(s.totalMs)} ms, longest ${fixed(s.maxMs)} ms), ` +
    `${m.count} mark-compact steps (total ${fixed(m.totalMs)} ms, longest ${fixed(m.maxMs)} ms); ` +
    `event-loop delay p99 ${fixed(report.loopDelayP99Ms)} ms, max ${fixed(report.loopDelayMaxMs)} ms`
  );
}
