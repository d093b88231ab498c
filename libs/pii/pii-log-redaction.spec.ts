import { Writable } from 'node:stream';
import pino from 'pino';
import { piiLogRedaction } from './pii-log-redaction';

/** A real pino logger writing JSON lines into memory. */
function logger(): { log: pino.Logger; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const log = pino({ ...piiLogRedaction(), base: undefined, timestamp: false }, stream);
  return {
    log,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('piiLogRedaction (pino)', () => {
  it('redacts merged objects and messages before they are written', () => {
    const { log, lines } = logger();
    log.info(
      { user: { email: 'ann@example.com' }, token: 'abc' },
      'card 4111 1111 1111 1111 declined for %s',
      'bob@example.org',
    );
    const [line] = lines();
    const raw = JSON.stringify(line);
    expect(raw).not.toContain('ann@example.com');
    expect(raw).not.toContain('4111');
    expect(raw).not.toContain('bob@example.org');
    expect(line).toMatchObject({
      user: { email: '[EMAIL]' },
      token: '[CREDENTIALS]',
      msg: 'card [CREDIT_CARD] declined for [EMAIL]',
    });
  });
});
