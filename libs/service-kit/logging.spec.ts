import { Writable } from 'node:stream';
import pino, { type LoggerOptions } from 'pino';
import { loadConfig } from '@personae/config';
import { loggerParams } from './logging';

describe('service logs', () => {
  it('mask personal data in messages and fields before writing them', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const params = loggerParams(loadConfig({ LOG_LEVEL: 'info' }), 'test');
    const logger = pino(params.pinoHttp as LoggerOptions, sink);
    logger.info({ contact: 'jane.doe@example.com' }, 'call +44 20 7946 0958 about card 4111 1111 1111 1111');
    const line = lines.join('');
    expect(line).not.toContain('jane.doe@example.com');
    expect(line).not.toContain('4111 1111 1111 1111');
    expect(line).not.toContain('7946 0958');
    expect(line).toContain('[EMAIL]');
  });
});
