import { PostgresLogTransport } from '@personae/messaging';
import { describeTransportContract } from './transport.contract';
import { databaseUrl } from './support';

describeTransportContract('Postgres log', () => ({
  open: (namespace) =>
    PostgresLogTransport.open({ url: databaseUrl(), schema: namespace, partitions: 4, poolSize: 4 }),
  settleMs: 5000,
}));
