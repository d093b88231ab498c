import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@personae/config';
import { PiiDataKeys } from '../keys/pii-data-keys';
import { LedgerRepository } from '../store/ledger.repository';
import { CreateCheckpoints } from './create-checkpoints.use-case';

const DAY_MS = 86_400_000;

/**
 * Every AUDIT_CHECKPOINT_MS: a checkpoint for each tenant with new entries, then PII
 * retention (AUDIT_PII_RETENTION_DAYS). Safe with several processes: checkpoints lock per tenant.
 */
@Injectable()
export class AuditSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditSchedule');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly checkpoints: CreateCheckpoints,
    private readonly ledger: LedgerRepository,
    private readonly dataKeys: PiiDataKeys,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick().finally(() => (this.running = undefined));
    }, this.config.audit.checkpointIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async tick(): Promise<void> {
    try {
      await this.checkpoints.forAllTenants();
      const days = this.config.audit.piiRetentionDays;
      if (days > 0) {
        const before = new Date(Date.now() - days * DAY_MS);
        const erased = await this.ledger.erasePiiBefore(before);
        await this.dataKeys.dropCreatedBefore(before);
        if (erased > 0) this.logger.log(`erased the clear PII of ${erased} entries older than ${days} days`);
      }
    } catch (error) {
      this.logger.error(`audit schedule failed: ${(error as Error).message}`);
    }
  }
}
