import { ByteQueue } from './byte-queue';

describe('ByteQueue', () => {
  const queue = (...chunks: string[]): ByteQueue => {
    const q = new ByteQueue();
    for (const c of chunks) q.push(Buffer.from(c));
    return q;
  };
  const text = (pieces: Buffer[]): string => Buffer.concat(pieces).toString();

  it('takes bytes across chunk boundaries as views, in order', () => {
    const q = queue('abc', '', 'defg', 'h');
    expect(q.length).toBe(8);
    expect(text(q.take(2))).toBe('ab');
    expect(text(q.take(4))).toBe('cdef');
    expect(q.length).toBe(2);
    expect(text(q.take(2))).toBe('gh');
    expect(q.take(0)).toEqual([]);
  });

  it('does not copy: a taken piece shares the pushed chunk', () => {
    const chunk = Buffer.from('hello world');
    const q = new ByteQueue();
    q.push(chunk);
    const [piece] = q.take(5);
    chunk[0] = 'j'.charCodeAt(0);
    expect(piece!.toString()).toBe('jello');
  });

  it('peeks a contiguous prefix without consuming it, also after a partial take', () => {
    const q = queue('abcd', 'ef', 'ghij');
    q.take(1);
    expect(q.peek(2).toString()).toBe('bc');
    expect(q.peek(6).toString()).toBe('bcdefg');
    expect(q.length).toBe(9);
    expect(text(q.take(9))).toBe('bcdefghij');
  });

  it('refuses to take more than it holds', () => {
    expect(() => queue('ab').take(3)).toThrow(RangeError);
  });
});
