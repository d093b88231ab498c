import { Module, type DynamicModule } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@personae/config';
import { MODEL_PROVIDER } from './model-provider.port';
import { buildModelProvider } from './model-routes';

export interface ModelsModuleOptions {
  /** MODEL_ROUTES text; default AppConfig `model.routes`. */
  routes?: string;
  /** Default AppConfig `model.timeoutMs` (MODEL_TIMEOUT_MS, 60 s). */
  timeoutMs?: number;
  /** Reads the key variables MODEL_ROUTES names; default process.env. */
  resolveKey?: (variable: string) => string | undefined;
}

/**
 * `ModelsModule.forRoot()` once in the root module: MODEL_PROVIDER, a ModelRouter from AppConfig
 * (MODEL_BASE_URL set: that endpoint for every model MODEL_ROUTES does not route; unset: the
 * offline retrieval responder), global.
 */
@Module({})
export class ModelsModule {
  static forRoot(options: ModelsModuleOptions = {}): DynamicModule {
    return {
      module: ModelsModule,
      global: true,
      providers: [
        {
          provide: MODEL_PROVIDER,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => {
            const model = config.model;
            return buildModelProvider(
              {
                baseUrl: model.baseUrl,
                apiKey: model.apiKey,
                routes: options.routes ?? model.routes,
                timeoutMs: options.timeoutMs ?? model.timeoutMs,
              },
              options.resolveKey,
            );
          },
        },
      ],
      exports: [MODEL_PROVIDER],
    };
  }
}
