import type { INestApplication } from '@nestjs/common';
import { ConfigError, loadConfig, type AppConfig } from '@personae/config';
import { openDatabase, type DatabaseLocation } from '@personae/persistence';
import { createServiceApp, type ServiceDefinition } from './service-app';
import { announceAdminKey } from './admin-key';

export interface RunningService {
  app: INestApplication;
  config: AppConfig;
  url: string;
  /** Drains the outbox, closes consumers and pools, then stops embedded Postgres. */
  stop(): Promise<void>;
}

/** Starts a service process: validated config, database (embedded unless DATABASE_URL), HTTP. */
export async function startService(
  definition: ServiceDefinition & { defaultPort: number },
  env = process.env,
): Promise<RunningService> {
  const config = loadConfig({ PORT: String(definition.defaultPort), ...env });
  const database: DatabaseLocation = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedPgPort,
    onNotice: (message) =>
      process.stdout.write(
        `${JSON.stringify({ level: 40, time: Date.now(), service: definition.name, msg: message })}\n`,
      ),
  });
  let app: INestApplication | undefined;
  try {
    app = await createServiceApp(definition, { ...config, databaseUrl: database.url });
    // Before listening, so the key is on the console by the time the service answers.
    await announceAdminKey(app);
    await app.listen(config.port, config.host);
  } catch (error) {
    await app?.close().catch(() => undefined);
    await database.stop();
    throw error;
  }
  const running = app;
  const server = running.getHttpServer() as import('node:http').Server;
  const address = server.address() as { port: number } | string;
  const port = typeof address === 'string' ? config.port : address.port;
  return {
    app: running,
    config,
    url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    stop: async () => {
      await running.close();
      await database.stop();
    },
  };
}

/**
 * The main() of every app: starts, then stops cleanly on SIGINT/SIGTERM.
 * A second signal forces the exit. Bad configuration exits with code 78 (EX_CONFIG).
 */
export function runService(definition: ServiceDefinition & { defaultPort: number }): void {
  startService(definition).then(
    (service) => {
      process.stdout.write(
        `${JSON.stringify({ level: 30, time: Date.now(), service: definition.name, msg: `ready on ${service.url} (docs: ${service.url}/docs)` })}\n`,
      );
      let stopping = false;
      const stop = (signal: NodeJS.Signals): void => {
        if (stopping) process.exit(1);
        stopping = true;
        process.stdout.write(
          `${JSON.stringify({ level: 30, time: Date.now(), service: definition.name, msg: `${signal}: shutting down` })}\n`,
        );
        service.stop().then(
          () => {
            process.stdout.write(
              `${JSON.stringify({ level: 30, time: Date.now(), service: definition.name, msg: 'stopped cleanly' })}\n`,
            );
            process.exit(0);
          },
          (error: unknown) => {
            process.stderr.write(`shutdown failed: ${String(error)}\n`);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (error: unknown) => {
      if (error instanceof ConfigError) {
        process.stderr.write(`${definition.name}: ${error.message}\n`);
        process.exit(78);
      }
      process.stderr.write(
        `${definition.name} failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
