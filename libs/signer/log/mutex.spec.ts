import { Mutex } from './mutex';

describe('Mutex', () => {
  it('runs tasks one at a time in call order, and a failure does not block the next', async () => {
    const mutex = new Mutex();
    const events: string[] = [];
    const task = (name: string, ms: number, fail = false) =>
      mutex.run(async () => {
        events.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        events.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([task('a', 20), task('b', 1, true), task('c', 1)]);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
