import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '@personae/auth';
import { DataSources } from '@personae/persistence';
import { ReadinessRegistry } from './readiness';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly dataSources: DataSources,
  ) {}

  /** The process runs and serves HTTP. */
  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Every dependency this process uses answers (database schemas, event bus...). */
  @Get('ready')
  async ready(): Promise<{ status: 'ready'; checks: Record<string, { ok: boolean; error?: string }> }> {
    const result = await this.readiness.evaluate(this.databaseChecks());
    if (!result.ready) {
      throw new ServiceUnavailableException({ message: 'not ready', errors: failing(result.checks) });
    }
    return { status: 'ready', checks: result.checks };
  }

  private databaseChecks(): Map<string, () => Promise<void>> {
    const checks = new Map<string, () => Promise<void>>();
    for (const [schema, dataSource] of this.dataSources.all()) {
      checks.set(`database:${schema}`, async () => {
        await dataSource.query('SELECT 1');
      });
    }
    return checks;
  }
}

function failing(
  checks: Record<string, { ok: boolean; error?: string }>,
): { field: string; reason: string }[] {
  return Object.entries(checks)
    .filter(([, check]) => !check.ok)
    .map(([name, check]) => ({ field: name, reason: check.error ?? 'failed' }));
}
