import type { SignedCheckpoint } from '../domain/checkpoint';
import { combine, segmentsFor } from './verify-ledger.use-case';

const checkpoint = (sequence: number, fromPosition: number, toPosition: number): SignedCheckpoint =>
  ({ statement: { sequence, fromPosition, toPosition } }) as SignedCheckpoint;

describe('segmentsFor', () => {
  const tiles = [checkpoint(0, 0, 9), checkpoint(1, 10, 19), checkpoint(2, 20, 29)];

  it('splits at checkpoints, each window anchored on the one before, plus the tail', () => {
    expect(segmentsFor(tiles, 0, 34)).toEqual([
      { anchor: undefined, from: 0, to: 9 },
      { anchor: tiles[0], from: 10, to: 19 },
      { anchor: tiles[1], from: 20, to: 29 },
      { anchor: tiles[2], from: 30, to: 34 },
    ]);
  });

  it('starts after the anchor and stops at the range end', () => {
    expect(segmentsFor(tiles, 10, 19)).toEqual([{ anchor: tiles[0], from: 10, to: 19 }]);
    expect(segmentsFor(tiles, 20, 25)).toEqual([{ anchor: tiles[1], from: 20, to: 25 }]);
  });

  it('falls back to one sequential pass when checkpoints do not tile the chain', () => {
    expect(segmentsFor([tiles[0]!, tiles[2]!], 0, 29)).toBeUndefined();
    expect(segmentsFor([checkpoint(0, 0, 9), checkpoint(1, 12, 19)], 0, 19)).toBeUndefined();
  });
});

describe('combine', () => {
  it('reports the first break over all segments, whatever order they finished in', () => {
    expect(
      combine([
        { ok: true, from: 0, to: 9, entries: 10, checkpoints: 1, head: 'a' },
        { ok: false, position: 17, reason: 'edited', from: 10, entries: 7, checkpoints: 0 },
        { ok: false, position: 12, reason: 'missing', from: 10, entries: 2, checkpoints: 0 },
      ]),
    ).toEqual({ ok: false, position: 12, reason: 'missing', from: 0, entries: 19, checkpoints: 1 });
  });

  it('sums an intact range and keeps the last head', () => {
    expect(
      combine([
        { ok: true, from: 0, to: 9, entries: 10, checkpoints: 1, head: 'a' },
        { ok: true, from: 10, to: 14, entries: 5, checkpoints: 0, head: 'b' },
      ]),
    ).toEqual({ ok: true, from: 0, to: 14, entries: 15, checkpoints: 1, head: 'b' });
  });
});
