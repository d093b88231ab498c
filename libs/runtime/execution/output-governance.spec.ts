import { StreamRedactor } from './output-governance.step';

describe('StreamRedactor', () => {
  const redactor = () =>
    new StreamRedactor((text) => {
      const found: string[] = [];
      const out = text.replace(/[\w.]+@[\w.]+\.\w+/g, () => {
        found.push('email');
        return '[EMAIL]';
      });
      return { text: out, found };
    });

  it('holds text back until a sentence ends, so data split across chunks is redacted whole', () => {
    const r = redactor();
    const sent = ['Write to jane', '.doe@exa', 'mple.com today. Then', ' rest.'].map((c) => r.push(c));
    sent.push(r.flush());
    expect(sent.join('')).toBe('Write to [EMAIL] today. Then rest.');
    expect(sent.join('')).toBe(r.text);
    expect(r.count).toBe(1);
    expect(sent[0]).toBe('');
  });

  it('passes text through at once when redaction is off', () => {
    const r = new StreamRedactor();
    expect(r.push('a@b.com and')).toBe('a@b.com and');
    expect(r.flush()).toBe('');
  });
});
