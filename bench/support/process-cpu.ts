import { readdirSync, readFileSync } from 'node:fs';

/** A process' CPU ms so far, and its exited children's (Linux /proc; 0 where unreadable). 10 ms ticks. */
export function cpuMsOf(pid: number): number {
  try {
    // After the command name (which may contain spaces): utime, stime, cutime, cstime are fields 12 to 15.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) * 10;
  } catch {
    return 0; // gone, or not Linux
  }
}

/**
 * CPU ms so far of the Postgres cluster in `clusterDir`: its postmaster, every live child (backends,
 * workers), and through the postmaster's reaped-children counters every backend that has exited.
 */
export function clusterCpuMs(clusterDir: string): number {
  const processes = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return { pid: Number(pid), ppid: Number(stat.split(') ')[1]!.split(' ')[1]) };
      } catch {
        return { pid: Number(pid), ppid: -1 };
      }
    });
  const postmaster = processes.find(({ pid }) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(clusterDir);
    } catch {
      return false;
    }
  });
  if (!postmaster) return 0;
  return processes
    .filter(({ pid, ppid }) => pid === postmaster.pid || ppid === postmaster.pid)
    .reduce((sum, { pid }) => sum + cpuMsOf(pid), 0);
}

/**
 * How long this process' main thread has waited, runnable, for a CPU so far (ms), and how many times it
 * was scheduled (Linux /proc/self/schedstat; zeros where unavailable). The wait is time lost to other
 * processes on the cores: on a 2-core machine shared with Postgres and a load generator, a large part
 * of a request's tail.
 */
export function runQueueWait(): { waitMs: number; slices: number } {
  try {
    const [, wait, slices] = readFileSync('/proc/self/schedstat', 'utf8').trim().split(' ').map(Number);
    return { waitMs: wait! / 1e6, slices: slices! };
  } catch {
    return { waitMs: 0, slices: 0 };
  }
}
