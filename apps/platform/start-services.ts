import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@personae/config';
import { openDatabase } from '@personae/persistence';
import { SERVICES } from './service-catalog';

/**
 * `npm run start:services`: each service in its own process, sharing nothing but the
 * database (each its own schema, and the event log) and HTTP. With DATABASE_URL unset the
 * launcher owns embedded Postgres and hands its URL to the services.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedPgPort,
  });
  const children = new Map<string, ChildProcess>();
  let stopping = false;

  const stopAll = async (code: number): Promise<never> => {
    stopping = true;
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      ),
    );
    await database.stop();
    process.exit(code);
  };

  // How the services find each other over HTTP; an operator's own values win.
  const urlOf = (name: string): string =>
    `http://127.0.0.1:${SERVICES.find((s) => s.name === name)?.defaultPort}`;
  const siblings = {
    SIGNER_URL: urlOf('signer'),
    REGISTRY_URL: urlOf('persona-registry'),
    GOVERNANCE_URL: urlOf('governance-policy'),
    KNOWLEDGE_URL: urlOf('synthesis-pipeline'),
  };

  for (const service of SERVICES) {
    // With the launcher's Node flags (the young generation's size, see the README).
    const child = spawn(
      process.execPath,
      [...process.execArgv, join(__dirname, '..', service.name, 'main.js')],
      {
        env: { ...siblings, ...process.env, DATABASE_URL: database.url, PORT: String(service.defaultPort) },
        stdio: ['ignore', 'inherit', 'inherit'],
        // Own process group: a Ctrl-C reaches only the launcher, which stops each child once.
        detached: true,
      },
    );
    children.set(service.name, child);
    child.once('exit', (code, signal) => {
      if (stopping) return;
      process.stderr.write(`${service.name} exited (${signal ?? code}); stopping the other services\n`);
      void stopAll(1);
    });
  }
  const onSignal = (): void => {
    if (stopping) process.exit(1);
    void stopAll(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(error instanceof ConfigError ? 78 : 1);
});
