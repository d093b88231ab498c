import { createServer } from 'node:net';

/**
 * A loopback port nothing listens on: bound by the OS, then released. For a server a test starts
 * next, or to show what a client does when nothing answers.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
