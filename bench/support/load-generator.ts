import { fork, type ChildProcess } from 'node:child_process';
import type { Pool } from 'undici';

/**
 * The parent's side of a load generator: the bench script forked again with `--client`, so the
 * client's CPU is not on the server's event loop, and sent one job at a time over IPC.
 */
export class LoadGenerator<Job extends { origin: string }, Result> {
  private readonly child: ChildProcess;

  constructor(script: string) {
    this.child = fork(script, ['--client'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The child's next message (e.g. an address it announces before taking jobs). */
  next<T>(): Promise<T> {
    return new Promise((resolve) => this.child.once('message', (message: T) => resolve(message)));
  }

  run(job: Job): Promise<Result> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load generator exited with ${code}`));
      this.child.once('exit', onExit);
      this.child.once('message', (result: Result) => {
        this.child.off('exit', onExit);
        resolve(result);
      });
      this.child.send(job);
    });
  }

  close(): void {
    if (this.child.connected) this.child.disconnect();
  }
}

/** The child's side: runs each job on a keep-alive undici Pool per origin; exits with its parent. */
export async function serveJobs<Job extends { origin: string }, Result>(
  connections: number,
  run: (pool: Pool, job: Job) => Promise<Result>,
): Promise<void> {
  const { Pool } = await import('undici');
  const pools = new Map<string, Pool>();
  process.on('message', (job: Job) => {
    let pool = pools.get(job.origin);
    if (!pool) pools.set(job.origin, (pool = new Pool(job.origin, { connections })));
    void run(pool, job).then((result) => process.send!(result));
  });
  process.on('disconnect', () => process.exit(0));
}
