import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTar, TAR_END, tarHeader, tarPadding } from './tar';

function archiveOf(files: [string, Buffer][]): Buffer {
  const parts = files.flatMap(([name, content]) => [
    tarHeader(name, content.length, 1_700_000_000),
    content,
    tarPadding(content.length),
  ]);
  return Buffer.concat([...parts, TAR_END]);
}

describe('ustar', () => {
  const files: [string, Buffer][] = [
    ['manifest.json', Buffer.from('{"a":1}')],
    ['attachments/0190-x', Buffer.alloc(1300, 7)],
    ['empty', Buffer.alloc(0)],
  ];

  it('reads back what it wrote, in order', () => {
    const entries = readTar(archiveOf(files));
    expect(entries.map((e) => e.name)).toEqual(files.map(([name]) => name));
    expect(entries.map((e) => e.content)).toEqual(files.map(([, content]) => content));
  });

  it('is what the system tar reads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tar-spec-'));
    try {
      writeFileSync(join(dir, 'a.tar'), archiveOf(files));
      execFileSync('tar', ['-xf', 'a.tar'], { cwd: dir });
      expect(readFileSync(join(dir, 'attachments/0190-x'))).toEqual(files[1]![1]);
      expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).toBe('{"a":1}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a damaged header', () => {
    const damaged = archiveOf(files);
    damaged[3] = damaged[3]! ^ 1;
    expect(() => readTar(damaged)).toThrow('fails its checksum');
  });
});
