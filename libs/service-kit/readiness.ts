import { Global, Injectable, Module } from '@nestjs/common';

export interface CheckResult {
  ok: boolean;
  error?: string;
}

/** Resolves when the dependency is usable; throws (with a short reason) when it is not. */
export type ReadinessCheck = () => Promise<void>;

/**
 * What `/health/ready` asks. Each adapter (database, event bus, cache...) registers
 * its own check, so readiness reflects exactly the dependencies a process uses.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  async evaluate(
    extra: ReadonlyMap<string, ReadinessCheck> = new Map(),
    timeoutMs = 2000,
  ): Promise<{ ready: boolean; checks: Record<string, CheckResult> }> {
    const entries = await Promise.all(
      [...this.checks, ...extra].map(async ([name, check]): Promise<[string, CheckResult]> => {
        try {
          await withTimeout(check(), timeoutMs);
          return [name, { ok: true }];
        } catch (error) {
          return [name, { ok: false, error: error instanceof Error ? error.message : String(error) }];
        }
      }),
    );
    return { ready: entries.every(([, result]) => result.ok), checks: Object.fromEntries(entries) };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

@Global()
@Module({ providers: [ReadinessRegistry], exports: [ReadinessRegistry] })
export class ReadinessModule {}
