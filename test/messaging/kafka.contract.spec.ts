import { existsSync } from 'node:fs';
import type * as TestcontainersKafka from '@testcontainers/kafka';
import { KafkaTransport } from '@personae/messaging';
import { describeTransportContract } from './transport.contract';

/**
 * The same contract against Kafka: KAFKA_BROKERS when set, otherwise a throwaway broker in
 * Docker (testcontainers). Without either the suite is skipped, and says so.
 */
const brokersFromEnv = process.env.KAFKA_BROKERS?.split(',').map((broker) => broker.trim());
const dockerAvailable = Boolean(process.env.DOCKER_HOST) || existsSync('/var/run/docker.sock');

/** Loaded only when needed: testcontainers pulls in an HTTP client that needs a recent Node. */
function loadTestcontainers(): typeof TestcontainersKafka | Error {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@testcontainers/kafka') as typeof TestcontainersKafka;
  } catch (error) {
    return error as Error;
  }
}

const testcontainers = !brokersFromEnv && dockerAvailable ? loadTestcontainers() : undefined;
const skipReason = brokersFromEnv
  ? undefined
  : !dockerAvailable
    ? 'set KAFKA_BROKERS or run Docker'
    : testcontainers instanceof Error
      ? `testcontainers could not load (${testcontainers.message}); set KAFKA_BROKERS`
      : undefined;

if (skipReason) {
  console.log(`Kafka contract suite skipped: ${skipReason}`);
  describe.skip('event transport contract: Kafka', () => {
    it('needs KAFKA_BROKERS or a Docker engine', () => undefined);
  });
} else {
  jest.setTimeout(120_000);
  let container: TestcontainersKafka.StartedKafkaContainer | undefined;
  let brokers: string[] = brokersFromEnv ?? [];

  beforeAll(async () => {
    if (brokersFromEnv || !testcontainers || testcontainers instanceof Error) return;
    container = await new testcontainers.KafkaContainer('confluentinc/cp-kafka:7.7.1').withKraft().start();
    brokers = [`${container.getHost()}:${container.getMappedPort(9093)}`];
  }, 240_000);

  afterAll(async () => {
    await container?.stop();
  });

  describeTransportContract('Kafka', () => ({
    open: (namespace) =>
      KafkaTransport.open({
        brokers,
        clientId: 'personae-contract',
        partitions: 3,
        replicationFactor: 1,
        namePrefix: `${namespace}.`,
      }),
    settleMs: 30_000,
    // Group joins and rebalances take seconds; members join before events flow.
    joinDelayMs: 6_000,
  }));
}
