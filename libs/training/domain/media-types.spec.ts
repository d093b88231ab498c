import { checkFileName, checkMediaType, essence } from './media-types';

describe('media types and file names', () => {
  it('reduces a content type to its essence', () => {
    expect(essence('Text/Plain; charset=utf-8')).toBe('text/plain');
    expect(essence('nonsense')).toBeUndefined();
    expect(essence(undefined)).toBeUndefined();
  });

  it('allows documents and images, refuses the rest with the allowed list', () => {
    expect(checkMediaType('application/pdf')).toEqual({ ok: true, value: 'application/pdf' });
    const refused = checkMediaType('application/x-msdownload');
    expect(refused).toMatchObject({ ok: false, refusal: 'input' });
    expect(!refused.ok && refused.reason).toContain('application/x-msdownload is not allowed; allowed: ');
    expect(checkMediaType(undefined)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('Content-Type'),
    });
  });

  it('keeps the last path segment of a file name and refuses empty or odd names', () => {
    expect(checkFileName('../../etc/notes.md')).toEqual({ ok: true, value: 'notes.md' });
    expect(checkFileName('C:\\docs\\paper.pdf')).toEqual({ ok: true, value: 'paper.pdf' });
    expect(checkFileName('')).toMatchObject({ ok: false });
    expect(checkFileName('a/..')).toMatchObject({ ok: false });
    expect(checkFileName('bad\u0007name')).toMatchObject({ ok: false });
    expect(checkFileName('x'.repeat(201))).toMatchObject({ ok: false });
  });
});
