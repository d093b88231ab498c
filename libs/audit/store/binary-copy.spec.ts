import { BinaryCopyOut } from './binary-copy';

/** A binary COPY stream of rows (bigint, text, bytea|null), as Postgres writes it. */
function stream(rows: [bigint, string, Buffer | null][]): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)];
  for (const [position, text, bytes] of rows) {
    const head = Buffer.alloc(2 + 4 + 8);
    head.writeInt16BE(3, 0);
    head.writeInt32BE(8, 2);
    head.writeBigInt64BE(position, 6);
    const body = Buffer.from(text, 'utf8');
    const length = Buffer.alloc(4);
    length.writeInt32BE(body.length);
    const last = Buffer.alloc(4);
    last.writeInt32BE(bytes ? bytes.length : -1);
    parts.push(head, length, body, last, ...(bytes ? [bytes] : []));
  }
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1);
  return Buffer.concat([...parts, trailer]);
}

function run(chunks: Buffer[], stopAfter = Infinity): { rows: string[]; copy: BinaryCopyOut } {
  const rows: string[] = [];
  const copy = new BinaryCopyOut('COPY', ([position, text, bytes]) => {
    rows.push(
      `${position!.readBigInt64BE(0)}|${text!.toString('utf8')}|${bytes ? bytes.toString('hex') : 'null'}`,
    );
    return rows.length < stopAfter;
  });
  // The socket hands over chunks it may reuse: overwrite each after it was consumed.
  for (const chunk of chunks) {
    const copyOfChunk = Buffer.from(chunk);
    copy.handleCopyData({ chunk: copyOfChunk });
    copyOfChunk.fill(0);
  }
  copy.handleCommandComplete();
  copy.handleReadyForQuery();
  return { rows, copy };
}

describe('BinaryCopyOut', () => {
  const rows: [bigint, string, Buffer | null][] = [
    [0n, '{"a":"é"}', Buffer.from([1, 2, 3])],
    [1n, '', null],
    [2n ** 40n, 'x'.repeat(300), Buffer.alloc(32, 7)],
  ];
  const expected = ['0|{"a":"é"}|010203', '1||null', `${2n ** 40n}|${'x'.repeat(300)}|${'07'.repeat(32)}`];

  it('reads every row, whatever the chunk boundaries', async () => {
    const bytes = stream(rows);
    for (const size of [1, 3, 7, 64, bytes.length]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      const { rows: read, copy } = run(chunks);
      await copy.done;
      expect(read).toEqual(expected);
    }
  });

  it('fails on a stream cut in the middle of a row, and on a foreign stream', async () => {
    const bytes = stream(rows);
    await expect(run([bytes.subarray(0, bytes.length - 10)]).copy.done).rejects.toThrow(/middle of a row/);
    await expect(run([Buffer.from('not a copy stream at all')]).copy.done).rejects.toThrow(/binary COPY/);
  });

  it('stops handing rows over when the sink says so', async () => {
    const { rows: read, copy } = run([stream(rows)], 1);
    await copy.done;
    expect(read).toEqual(expected.slice(0, 1));
    expect(copy.wasStopped).toBe(true);
  });
});
