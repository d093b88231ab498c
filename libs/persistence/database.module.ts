import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@personae/config';
import { openServiceDataSource, type ServiceDatabaseOptions } from './service-data-source';

/** Injection token of the data source of one service schema. */
export function dataSourceToken(schema: string): string {
  return `personae:data-source:${schema}`;
}

/** Injects the data source of a service schema: `@InjectDataSource('registry')`. */
export const InjectDataSource = (schema: string): ParameterDecorator => Inject(dataSourceToken(schema));

/** Every data source the process opened, closed last on shutdown (after consumers and relays stop). */
@Injectable()
export class DataSources implements OnApplicationShutdown {
  private readonly open = new Map<string, DataSource>();

  register(schema: string, dataSource: DataSource): void {
    this.open.set(schema, dataSource);
  }

  all(): ReadonlyMap<string, DataSource> {
    return this.open;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.open.values()].filter((ds) => ds.isInitialized).map((ds) => ds.destroy()));
    this.open.clear();
  }
}

@Global()
@Module({ providers: [DataSources], exports: [DataSources] })
export class DataSourcesModule {}

/** One service's schema: opens its pool and runs its migrations at start. */
@Module({})
export class DatabaseModule {
  static forService(options: ServiceDatabaseOptions): DynamicModule {
    const token = dataSourceToken(options.schema);
    return {
      module: DatabaseModule,
      imports: [DataSourcesModule],
      providers: [
        {
          provide: token,
          inject: [APP_CONFIG, DataSources],
          useFactory: async (config: AppConfig, registry: DataSources) => {
            if (!config.databaseUrl) throw new Error('the database URL is resolved before modules start');
            const dataSource = await openServiceDataSource(config.databaseUrl, options, config.dbPoolSize);
            registry.register(options.schema, dataSource);
            return dataSource;
          },
        },
      ],
      exports: [token],
    };
  }
}
