import { Counter, Gauge, register, type Metric } from 'prom-client';
import type { Subscription } from './event-transport.port';

function single<M extends Metric<string>>(name: string, create: () => M): M {
  // Several buses (tests, the platform's modules) share the default registry.
  return (register.getSingleMetric(name) as M | undefined) ?? create();
}

const lagSources = new Set<Subscription>();

export const messagingMetrics = {
  published: single(
    'personae_events_published_total',
    () =>
      new Counter({
        name: 'personae_events_published_total',
        help: 'Events appended to the event bus',
        labelNames: ['topic'],
      }),
  ),
  consumed: single(
    'personae_events_consumed_total',
    () =>
      new Counter({
        name: 'personae_events_consumed_total',
        help: 'Events handled by a consumer group, by outcome (processed, duplicate, dead_lettered)',
        labelNames: ['group', 'topic', 'outcome'],
      }),
  ),
  deadLettered: single(
    'personae_events_dead_lettered_total',
    () =>
      new Counter({
        name: 'personae_events_dead_lettered_total',
        help: 'Events sent to the dead-letter topic',
        labelNames: ['group', 'topic'],
      }),
  ),
  lag: single(
    'personae_consumer_lag',
    () =>
      new Gauge({
        name: 'personae_consumer_lag',
        help: 'Events appended but not yet committed by the consumer group',
        labelNames: ['group', 'topic', 'partition'],
        async collect() {
          this.reset();
          for (const subscription of lagSources) {
            const lags = await subscription.lag().catch(() => []);
            for (const { topic, partition, lag } of lags)
              this.set({ group: subscription.group, topic, partition: String(partition) }, lag);
          }
        },
      }),
  ),
};

/** Reports the subscription's lag on each scrape until it is closed. */
export function trackLag(subscription: Subscription): () => void {
  lagSources.add(subscription);
  return () => lagSources.delete(subscription);
}
