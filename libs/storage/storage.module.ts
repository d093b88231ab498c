import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@personae/config';
import type { KeyRing } from '@personae/crypto';
// Deep imports: service-kit's index pulls in the service app, which may come to import this library.
import { KEY_RING, KeyRingModule } from '@personae/service-kit/key-ring.provider';
import { ReadinessRegistry } from '@personae/service-kit/readiness';
import { EncryptedObjectStore } from './encrypted-object-store';
import { FilesystemObjectStore } from './filesystem-object-store';
import { openObjectStore, type ObjectStoreOptions } from './open-object-store';
import { ENCRYPTED_OBJECT_STORE, OBJECT_STORE, type ObjectStore } from './object-store.port';

/**
 * `StorageModule.forRoot()` once in the root module: OBJECT_STORE (adapter from AppConfig, readiness
 * check 'objects') and ENCRYPTED_OBJECT_STORE (the same store under the process KeyRing), global.
 */
@Module({})
export class StorageModule {
  static forRoot(options: ObjectStoreOptions = {}): DynamicModule {
    return {
      module: StorageModule,
      global: true,
      imports: [KeyRingModule],
      providers: [
        {
          provide: OBJECT_STORE,
          inject: [APP_CONFIG, { token: ReadinessRegistry, optional: true }],
          useFactory: async (config: AppConfig, readiness?: ReadinessRegistry) => {
            const store = await openObjectStore(config, options);
            readiness?.register('objects', () => store.ping());
            if (store instanceof FilesystemObjectStore) sweepLater(store);
            return store;
          },
        },
        {
          provide: ENCRYPTED_OBJECT_STORE,
          inject: [OBJECT_STORE, KEY_RING],
          useFactory: (store: ObjectStore, ring: KeyRing) => new EncryptedObjectStore(store, ring),
        },
      ],
      exports: [OBJECT_STORE, ENCRYPTED_OBJECT_STORE],
    };
  }
}

/** Temporary files of writers killed mid-write, collected in the background after start. */
function sweepLater(store: FilesystemObjectStore): void {
  const timer = setTimeout(() => {
    store.removeStaleTemporaryFiles().then(
      (removed) => removed > 0 && new Logger('Storage').log(`removed ${removed} stale temporary file(s)`),
      (error: unknown) => new Logger('Storage').warn(`temporary file sweep failed: ${String(error)}`),
    );
  }, 10_000);
  timer.unref();
}
