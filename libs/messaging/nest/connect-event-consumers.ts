import type { INestApplication } from '@nestjs/common';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { EventConsumerServer } from './event-consumer.server';

/**
 * Call once from bootstrap after creating the app: initialises it (relays start), attaches
 * the event-consumer strategy and starts every `@OnEvent` group. App-level pipes and
 * filters are not inherited: they are written for HTTP.
 */
export async function connectEventConsumers(app: INestApplication): Promise<void> {
  await app.init();
  const strategy = app.get(EventConsumerServer);
  const microservice = app.connectMicroservice<MicroserviceOptions>({ strategy });
  await microservice.listen();
}
