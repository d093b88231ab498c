import { randomBytes } from 'node:crypto';
import { murmur2, partitionFor } from './partitioner';

// kafkajs' own implementation (Long arithmetic), the reference our Math.imul port must match.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (
  key: Buffer,
) => number;

describe('partitioner', () => {
  it('computes murmur2 exactly as Kafka clients do, for keys of every tail length', () => {
    for (let length = 0; length < 40; length++) {
      for (let i = 0; i < 25; i++) {
        const key = randomBytes(length);
        expect(murmur2(key)).toBe(kafkajsMurmur2(key));
      }
    }
    expect(murmur2(Buffer.from('session-🙂'))).toBe(kafkajsMurmur2(Buffer.from('session-🙂')));
  });

  it('sends one key to one partition, within range, spread across all partitions', () => {
    const counts = new Array<number>(8).fill(0);
    for (let i = 0; i < 8000; i++) {
      const partition = partitionFor(`session-${i}`, 8);
      expect(partitionFor(`session-${i}`, 8)).toBe(partition);
      counts[partition]!++;
    }
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });

  it('rejects a partition count that is not a positive integer', () => {
    expect(() => partitionFor('k', 0)).toThrow(RangeError);
    expect(() => partitionFor('k', 1.5)).toThrow(RangeError);
  });
});
