import { createHash, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  createDecryptStream,
  createEncryptStream,
  decryptSecret,
  DecryptionError,
  encryptSecret,
  readKekId,
} from './envelope-encryption';
import { KeyRing } from './key-ring';

const kek = (id: string): { id: string; key: Buffer } => ({ id, key: randomBytes(32) });
const old = kek('kek-1');
const current = kek('kek-2');
const ring = new KeyRing([current, old]);

/** Feeds data in uneven chunks so segment boundaries never line up with writes. */
function chunked(data: Buffer, seed = 7): Readable {
  return Readable.from(
    (function* () {
      let offset = 0;
      let size = seed;
      while (offset < data.length) {
        size = (size * 7919 + 13) % 300_000;
        yield data.subarray(offset, offset + size + 1);
        offset += size + 1;
      }
    })(),
  );
}

async function run(source: Readable, transform: NodeJS.ReadWriteStream): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    source,
    transform,
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        out.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(out);
}

describe('envelope encryption', () => {
  it('round-trips small secrets, including empty ones, under the current KEK', () => {
    const secret = Buffer.from('-----BEGIN PRIVATE KEY-----...');
    const blob = encryptSecret(ring, secret);
    expect(readKekId(blob)).toBe('kek-2');
    expect(decryptSecret(ring, blob).equals(secret)).toBe(true);
    expect(decryptSecret(ring, encryptSecret(ring, Buffer.alloc(0)))).toHaveLength(0);
    expect(encryptSecret(ring, secret).equals(blob)).toBe(false);
  });

  it('detects a flipped bit in every byte of a small and a multi-segment ciphertext', () => {
    const small = encryptSecret(ring, Buffer.from('signer private key'));
    const multi = encryptSecret(ring, randomBytes(3000), { segmentSizeLog2: 10 });
    for (const blob of [small, multi]) {
      for (let i = 0; i < blob.length; i++) {
        const bad = Buffer.from(blob);
        bad[i]! ^= 0x01 << (i % 8);
        expect(() => decryptSecret(ring, bad)).toThrow();
      }
    }
  });

  it('detects truncation, extension and reordered segments', () => {
    const data = randomBytes(4096);
    const blob = encryptSecret(ring, data, { segmentSizeLog2: 10 });
    const header = blob.length - 4 * (1024 + 16); // 4096 bytes = three full segments + a full last one
    const seg = (i: number): Buffer => blob.subarray(header + i * 1040, header + (i + 1) * 1040);
    expect(() => decryptSecret(ring, blob.subarray(0, header + 2 * 1040))).toThrow(DecryptionError);
    expect(() => decryptSecret(ring, Buffer.concat([blob, blob.subarray(-16)]))).toThrow(DecryptionError);
    const swapped = Buffer.concat([
      blob.subarray(0, header),
      seg(1),
      seg(0),
      blob.subarray(header + 2 * 1040),
    ]);
    expect(() => decryptSecret(ring, swapped)).toThrow(/segment 0/);
    expect(decryptSecret(ring, blob).equals(data)).toBe(true);
  });

  it('binds the caller context', () => {
    const blob = encryptSecret(ring, Buffer.from('archive'), { context: 'tenant-a/archive-1' });
    expect(decryptSecret(ring, blob, { context: 'tenant-a/archive-1' }).toString()).toBe('archive');
    expect(() => decryptSecret(ring, blob, { context: 'tenant-b/archive-1' })).toThrow(DecryptionError);
    expect(() => decryptSecret(ring, blob)).toThrow(DecryptionError);
  });

  it('decrypts after rotation with the old KEK id, and fails with a wrong or missing KEK', () => {
    const before = encryptSecret(new KeyRing([old]), Buffer.from('written before rotation'));
    expect(readKekId(before)).toBe('kek-1');
    expect(decryptSecret(ring, before).toString()).toBe('written before rotation');
    expect(() => decryptSecret(new KeyRing([current]), before)).toThrow(
      /unknown key-encryption key id "kek-1"/,
    );
    const impostor = new KeyRing([{ id: 'kek-1', key: randomBytes(32) }]);
    expect(() => decryptSecret(impostor, before)).toThrow(/does not unwrap/);
    // Relabelling the header to another KEK id fails too: the wrap is bound to its id.
    const relabelled = Buffer.from(before);
    relabelled.write('kek-2', 6, 'ascii');
    expect(() => decryptSecret(ring, relabelled)).toThrow(DecryptionError);
  });

  it('streams 20 MB through encrypt and decrypt with the same bytes out', async () => {
    const data = randomBytes(20 * 1024 * 1024);
    const ciphertext = await run(chunked(data), createEncryptStream(ring, { context: 'obj-1' }));
    expect(ciphertext.length).toBeGreaterThan(data.length);
    expect(decryptSecret(ring, ciphertext, { context: 'obj-1' }).equals(data)).toBe(true);
    const plaintext = await run(chunked(ciphertext, 3), createDecryptStream(ring, { context: 'obj-1' }));
    expect(createHash('sha256').update(plaintext).digest('hex')).toBe(
      createHash('sha256').update(data).digest('hex'),
    );
  });

  it('fails a tampered stream without releasing the tampered segment', async () => {
    const data = randomBytes(2 * 1024 * 1024);
    const ciphertext = encryptSecret(ring, data);
    const at = 1_000_000;
    const bad = Buffer.from(ciphertext);
    bad[at]! ^= 0x80;
    const released: Buffer[] = [];
    await expect(
      pipeline(
        chunked(bad),
        createDecryptStream(ring),
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            released.push(chunk);
            done();
          },
        }),
      ),
    ).rejects.toThrow(/segment 15 failed authentication/);
    const out = Buffer.concat(released);
    expect(out.length).toBeLessThanOrEqual(15 * 65536);
    expect(out.equals(data.subarray(0, out.length))).toBe(true);
    await expect(run(chunked(ciphertext.subarray(0, 40)), createDecryptStream(ring))).rejects.toThrow(
      /shorter/,
    );
  });
});
