import {
  Module,
  type DynamicModule,
  type INestApplication,
  type MiddlewareConsumer,
  type NestModule,
  type Type,
} from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger, LoggerModule } from 'nestjs-pino';
import type { NextFunction, Request, Response } from 'express';
import { ConfigModule, type AppConfig } from '@personae/config';
import { DataSourcesModule } from '@personae/persistence';
import { AuthModule } from '@personae/auth';
import { MessagingModule, connectEventConsumers } from '@personae/messaging';
import { ModelsModule } from '@personae/models';
import { StorageModule } from '@personae/storage';
import { runWithCorrelation } from './correlation';
import { HealthController } from './health.controller';
import { corsOptionsFor } from './http/cors';
import { installFastRoutes } from './http/fast-route';
import { HttpExceptionFilter } from './http/http-exception.filter';
import { jsonBody, jsonBodyErrors } from './http/json-body';
import { StablePrototypesAdapter } from './http/stable-prototypes.adapter';
import { strictValidationPipe } from './http/validation';
import { loggerParams, correlationIdOf } from './logging';
import { collectProcessMetrics, HttpMetricsMiddleware, MetricsController } from './metrics';
import { ReadinessModule } from './readiness';
import { KeyRingModule } from './key-ring.provider';
import { ServiceUrlsModule } from './service-urls';

export interface ServiceDefinition {
  /** e.g. 'persona-registry', or 'platform' for all services in one process. */
  name: string;
  description: string;
  /** The service modules this process hosts. */
  modules: Type[];
}

@Module({ controllers: [HealthController, MetricsController] })
class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*');
  }
}

function rootModule(definition: ServiceDefinition, config: AppConfig): DynamicModule {
  @Module({})
  class PersonaeRootModule {}
  return {
    module: PersonaeRootModule,
    imports: [
      ConfigModule.forRoot(config),
      DiscoveryModule,
      LoggerModule.forRoot(loggerParams(config, definition.name)),
      ReadinessModule,
      KeyRingModule,
      ServiceUrlsModule,
      DataSourcesModule,
      MessagingModule.forRoot(),
      // One object store and one model router per process, shared by the services it hosts.
      StorageModule.forRoot(),
      ModelsModule.forRoot(),
      AuthModule,
      ObservabilityModule,
      ...definition.modules,
    ],
  };
}

/** Builds a fully configured Nest application for a service (or the whole platform); does not listen. */
export async function createServiceApp(
  definition: ServiceDefinition,
  config: AppConfig,
): Promise<INestApplication> {
  collectProcessMetrics();
  const app = await NestFactory.create<NestExpressApplication>(
    rootModule(definition, config),
    new StablePrototypesAdapter(),
    { bufferLogs: true, bodyParser: false },
  );
  app.useLogger(app.get(Logger));
  // First, so preflights are answered before anything authenticates and every answer carries the headers.
  const cors = corsOptionsFor(config.corsOrigins);
  if (cors) app.enableCors(cors);
  app.use((request: Request, _response: Response, next: NextFunction) =>
    runWithCorrelation(correlationIdOf(request), next),
  );
  app.use(jsonBody(config.maxBodyBytes), jsonBodyErrors);
  const validation = strictValidationPipe();
  app.useGlobalPipes(validation);
  // Then the hot paths (resolve, training messages, runtime execute) are answered here, before
  // Nest's router walk and per-request pipeline; everything else goes on to Nest.
  await installFastRoutes(app, {
    globalPipes: [validation],
    accessLog: ['trace', 'debug', 'info'].includes(config.logLevel),
  });
  app.useGlobalFilters(new HttpExceptionFilter());
  app.disable('x-powered-by');

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Personae — ${definition.name}`)
      .setDescription(definition.description)
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key (pk_...) or JWT' })
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });

  await connectEventConsumers(app);
  return app;
}
