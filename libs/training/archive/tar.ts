/**
 * The POSIX ustar format, just what a training archive needs: regular files with short names, read back
 * by any `tar`. Entries are 512-byte headers followed by the content padded to 512 bytes; two zero
 * blocks end the archive.
 */
export const TAR_BLOCK = 512;

export function tarHeader(name: string, size: number, mtimeSeconds: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name too long: ${name}`);
  const header = Buffer.alloc(TAR_BLOCK);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100, 'ascii');
  header.write('0000000\0', 108, 'ascii');
  header.write('0000000\0', 116, 'ascii');
  header.write(`${octal(size, 11)}\0`, 124, 'ascii');
  header.write(`${octal(mtimeSeconds, 11)}\0`, 136, 'ascii');
  header.write('        ', 148, 'ascii');
  header.write('0', 156, 'ascii');
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  header.write(`${octal(checksum(header), 6)}\0 `, 148, 'ascii');
  return header;
}

/** Zero bytes that pad `size` bytes of content to a whole block. */
export function tarPadding(size: number): Buffer {
  return Buffer.alloc((TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK);
}

export const TAR_END = Buffer.alloc(2 * TAR_BLOCK);

export interface TarEntry {
  name: string;
  content: Buffer;
}

/** Reads every entry of a ustar archive held in memory; throws on a damaged header. */
export function readTar(archive: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let at = 0;
  while (at + TAR_BLOCK <= archive.length) {
    const header = archive.subarray(at, at + TAR_BLOCK);
    if (header.every((byte) => byte === 0)) return entries;
    const stored = parseInt(header.toString('ascii', 148, 154), 8);
    const blank = Buffer.from(header);
    blank.write('        ', 148, 'ascii');
    if (stored !== checksum(blank)) throw new Error(`tar header at byte ${at} fails its checksum`);
    const name = cString(header, 0, 100);
    const size = parseInt(header.toString('ascii', 124, 135), 8);
    const start = at + TAR_BLOCK;
    if (start + size > archive.length) throw new Error(`tar entry ${name} is cut short`);
    entries.push({ name, content: archive.subarray(start, start + size) });
    at = start + size + tarPadding(size).length;
  }
  throw new Error('tar archive has no end marker');
}

function octal(value: number, width: number): string {
  const text = Math.floor(value).toString(8);
  if (text.length > width) throw new Error(`${value} does not fit a ${width}-digit tar field`);
  return text.padStart(width, '0');
}

function checksum(header: Buffer): number {
  let sum = 0;
  for (const byte of header) sum += byte;
  return sum;
}

function cString(buffer: Buffer, start: number, length: number): string {
  const field = buffer.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.toString('utf8', 0, end === -1 ? length : end);
}
