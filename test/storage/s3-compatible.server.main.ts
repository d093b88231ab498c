import { S3CompatibleServer } from './s3-compatible.server';

/**
 * Runs the S3-compatible test server in its own process (node -r @swc-node/register this-file), so
 * memory measured in the test process is the adapter's alone. Prints the endpoint; stops when the
 * parent closes stdin.
 */
void S3CompatibleServer.start().then((server) => {
  process.stdout.write(`${JSON.stringify({ endpoint: server.endpoint, accessKey: server.accessKey })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
});
