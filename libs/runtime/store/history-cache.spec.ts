import { HistoryCache, type NumberedMessage } from './history-cache';

const said = (seq: number, content = `message ${seq}`): NumberedMessage => ({
  seq,
  message: { role: seq % 2 ? 'assistant' : 'user', content, personaDigest: 'sha256:p' },
});
const range = (from: number, to: number): NumberedMessage[] =>
  Array.from({ length: to - from + 1 }, (_, i) => said(from + i));
const contents = (messages: { content: string }[]): string[] => messages.map((m) => m.content);

describe('HistoryCache', () => {
  it('asks for everything first, then only for what follows the last message it has', () => {
    const cache = new HistoryCache(200, 1_000_000);
    expect(cache.position('a')).toEqual({ epoch: -1, since: 0 });
    expect(contents(cache.merge('a', 0, 0, range(0, 3)))).toEqual(
      contents(range(0, 3).map((m) => m.message)),
    );
    expect(cache.position('a')).toEqual({ epoch: 0, since: 4 });
    const history = cache.merge('a', 0, 4, range(4, 5));
    expect(contents(history)).toEqual(contents(range(0, 5).map((m) => m.message)));
    expect(cache.merge('a', 0, 6, [])).toHaveLength(6);
  });

  it('starts over when the epoch changed (a memory reset) and keeps instances apart', () => {
    const cache = new HistoryCache(200, 1_000_000);
    cache.merge('a', 0, 0, range(0, 5));
    cache.merge('b', 0, 0, [said(0, 'only b')]);
    // The store read epoch 1 whole (since 0), whatever was cached for epoch 0.
    expect(contents(cache.merge('a', 1, 0, [said(0, 'fresh')]))).toEqual(['fresh']);
    expect(cache.position('a')).toEqual({ epoch: 1, since: 1 });
    expect(contents(cache.merge('b', 0, 1, []))).toEqual(['only b']);
  });

  it('never keeps a message twice when two executions of one instance read at once', () => {
    const cache = new HistoryCache(200, 1_000_000);
    cache.merge('a', 0, 0, range(0, 1));
    // Both read from seq 2 and got 2..3; the second merge must not append them again.
    cache.merge('a', 0, 2, range(2, 3));
    expect(cache.merge('a', 0, 2, range(2, 3)).map((m) => m.content)).toEqual(
      contents(range(0, 3).map((m) => m.message)),
    );
  });

  it('keeps the newest `limit`, and a read that hit the limit replaces what it cannot be joined to', () => {
    const cache = new HistoryCache(4, 1_000_000);
    expect(contents(cache.merge('a', 0, 0, range(0, 3)))).toHaveLength(4);
    expect(contents(cache.merge('a', 0, 4, range(4, 5)))).toEqual(
      contents(range(2, 5).map((m) => m.message)),
    );
    // Another replica wrote 6..20; the read returned only the newest 4 of them (15 would be missing).
    expect(contents(cache.merge('a', 0, 6, range(17, 20)))).toEqual(
      contents(range(17, 20).map((m) => m.message)),
    );
  });

  it('stays within its character budget, dropping the least recently used instances', () => {
    const cache = new HistoryCache(200, 3 * (100 + 64));
    for (const id of ['a', 'b', 'c']) cache.merge(id, 0, 0, [said(0, 'x'.repeat(100))]);
    cache.merge('a', 0, 1, []); // a is used again: b is now the oldest
    cache.merge('d', 0, 0, [said(0, 'x'.repeat(100))]);
    expect(cache.position('b')).toEqual({ epoch: -1, since: 0 });
    for (const id of ['a', 'c', 'd']) expect(cache.position(id)).toEqual({ epoch: 0, since: 1 });
  });
});
