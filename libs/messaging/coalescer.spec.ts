import { Coalescer } from './coalescer';

describe('coalescer', () => {
  it('sends a lone request at once and folds the ones that arrive meanwhile, in order', async () => {
    const flushes: number[][] = [];
    let release!: () => void;
    const coalescer = new Coalescer<number, number>(async (requests) => {
      flushes.push(requests);
      if (flushes.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return requests.map((n) => n * 10);
    });
    const first = coalescer.submit(1);
    const rest = [coalescer.submit(2), coalescer.submit(3)];
    expect(flushes).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30]);
    expect(flushes).toEqual([[1], [2, 3]]);
  });

  it('respects the weight limit and never splits one request', async () => {
    const flushes: number[][][] = [];
    const coalescer = new Coalescer<number[], void>(
      async (requests) => {
        flushes.push(requests);
        return requests.map(() => undefined);
      },
      3,
      (request) => request.length,
    );
    await Promise.all([
      coalescer.submit([1]),
      coalescer.submit([2, 3]),
      coalescer.submit([4, 5, 6, 7]),
      coalescer.submit([8]),
    ]);
    expect(flushes).toEqual([[[1]], [[2, 3]], [[4, 5, 6, 7]], [[8]]]);
  });

  it('rejects exactly the requests whose flush failed', async () => {
    let calls = 0;
    let release!: () => void;
    const coalescer = new Coalescer<number, number>(async (requests) => {
      calls++;
      if (calls === 1) await new Promise<void>((resolve) => (release = resolve));
      if (calls === 2) throw new Error('database down');
      return requests;
    });
    const first = coalescer.submit(1);
    const failing = [coalescer.submit(2), coalescer.submit(3)];
    release();
    await expect(first).resolves.toBe(1);
    await expect(failing[0]).rejects.toThrow('database down');
    await expect(failing[1]).rejects.toThrow('database down');
    await expect(coalescer.submit(4)).resolves.toBe(4);
  });
});
