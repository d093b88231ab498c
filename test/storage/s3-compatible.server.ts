import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

interface StoredObject {
  file: string;
  size: number;
  etag: string;
  lastModified: Date;
  contentType: string;
  metadata: Record<string, string>;
}

interface Upload {
  key: string;
  initiated: Date;
  contentType: string;
  metadata: Record<string, string>;
  parts: Map<number, { file: string; etag: string }>;
}

/**
 * A small S3-compatible server on 127.0.0.1 for the S3 adapter's contract run where no MinIO can
 * be installed. It speaks the subset of the S3 REST API the MinIO client uses for our calls (bucket
 * HEAD/PUT; object PUT/GET/HEAD/DELETE; multipart initiate, part, complete, abort, list; server-side
 * copy with metadata REPLACE; ListObjectsV2), path-style, bodies on disk so memory stays flat.
 * It checks that requests are signed with the expected access key, not the signature itself.
 */
export class S3CompatibleServer {
  private readonly buckets = new Map<string, Map<string, StoredObject>>();
  private readonly uploads = new Map<string, Upload>();
  private readonly sockets = new Set<Socket>();
  /** Every request as `METHOD path?query`, for assertions on how the client used the API. */
  readonly requests: string[] = [];

  private constructor(
    private readonly server: Server,
    private readonly dir: string,
    readonly accessKey: string,
  ) {}

  static async start(accessKey = 'personae-test'): Promise<S3CompatibleServer> {
    const dir = await mkdtemp(join(tmpdir(), 'personae-s3-'));
    const server = createServer();
    const instance = new S3CompatibleServer(server, dir, accessKey);
    server.on('request', (req, res) => {
      instance.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) instance.error(res, 500, 'InternalError', String(error));
        else res.destroy();
      });
    });
    server.on('connection', (socket) => {
      instance.sockets.add(socket);
      socket.on('close', () => instance.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Keys currently stored in a bucket (including the adapter's internal ones). */
  keys(bucket: string): string[] {
    return [...(this.buckets.get(bucket)?.keys() ?? [])].sort();
  }

  get pendingUploads(): number {
    return this.uploads.size;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith(`AWS4-HMAC-SHA256 Credential=${this.accessKey}/`))
      return this.error(res, 403, 'InvalidAccessKeyId', 'unknown access key');
    const [, bucketName = '', ...rest] = url.pathname.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    const q = url.searchParams;
    if (!bucketName) return this.error(res, 400, 'InvalidRequest', 'no bucket');
    const bucket = this.buckets.get(bucketName);

    if (!key) {
      if (req.method === 'HEAD') return this.end(res, bucket ? 200 : 404);
      if (req.method === 'PUT') {
        await drain(req);
        if (bucket) return this.error(res, 409, 'BucketAlreadyOwnedByYou', 'exists');
        this.buckets.set(bucketName, new Map());
        return this.end(res, 200);
      }
      if (!bucket) return this.error(res, 404, 'NoSuchBucket', 'no such bucket');
      if (req.method === 'GET' && q.has('uploads')) return this.listUploads(res, bucketName, q);
      if (req.method === 'GET' && q.get('list-type') === '2')
        return this.listObjects(res, bucketName, bucket, q);
      return this.error(res, 501, 'NotImplemented', `${req.method} on a bucket`);
    }
    if (!bucket) return this.error(res, 404, 'NoSuchBucket', 'no such bucket');

    switch (req.method) {
      case 'PUT': {
        const uploadId = q.get('uploadId');
        if (uploadId) return this.putPart(req, res, uploadId, Number(q.get('partNumber')));
        const source = req.headers['x-amz-copy-source'];
        if (typeof source === 'string') return this.copy(req, res, bucket, key, source);
        const written = await this.receive(req);
        bucket.set(key, { ...written, lastModified: new Date(), ...describe(req.headers) });
        res.setHeader('ETag', `"${written.etag}"`);
        return this.end(res, 200);
      }
      case 'POST': {
        if (q.has('uploads')) {
          await drain(req);
          const uploadId = randomUUID();
          this.uploads.set(uploadId, {
            key,
            initiated: new Date(),
            parts: new Map(),
            ...describe(req.headers),
          });
          return this.xml(
            res,
            `<InitiateMultipartUploadResult><Bucket>${bucketName}</Bucket><Key>${escape(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
          );
        }
        const uploadId = q.get('uploadId');
        if (uploadId) return this.complete(req, res, bucketName, bucket, key, uploadId);
        return this.error(res, 501, 'NotImplemented', 'POST');
      }
      case 'HEAD':
      case 'GET': {
        const object = bucket.get(key);
        if (!object) {
          if (req.method === 'HEAD') return this.end(res, 404);
          return this.error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
        }
        res.statusCode = 200;
        res.setHeader('Content-Length', object.size);
        res.setHeader('Content-Type', object.contentType);
        res.setHeader('ETag', `"${object.etag}"`);
        res.setHeader('Last-Modified', object.lastModified.toUTCString());
        for (const [name, value] of Object.entries(object.metadata))
          res.setHeader(`x-amz-meta-${name}`, value);
        if (req.method === 'HEAD') return void res.end();
        await pipeline(createReadStream(object.file), res);
        return;
      }
      case 'DELETE': {
        const uploadId = q.get('uploadId');
        if (uploadId) {
          if (!this.uploads.delete(uploadId)) return this.error(res, 404, 'NoSuchUpload', 'no such upload');
          return this.end(res, 204);
        }
        bucket.delete(key);
        return this.end(res, 204);
      }
      default:
        return this.error(res, 405, 'MethodNotAllowed', String(req.method));
    }
  }

  private async putPart(
    req: IncomingMessage,
    res: ServerResponse,
    uploadId: string,
    part: number,
  ): Promise<void> {
    const upload = this.uploads.get(uploadId);
    if (!upload) {
      await drain(req);
      return this.error(res, 404, 'NoSuchUpload', 'no such upload');
    }
    const written = await this.receive(req);
    upload.parts.set(part, { file: written.file, etag: written.etag });
    res.setHeader('ETag', `"${written.etag}"`);
    return this.end(res, 200);
  }

  private async complete(
    req: IncomingMessage,
    res: ServerResponse,
    bucketName: string,
    bucket: Map<string, StoredObject>,
    key: string,
    uploadId: string,
  ): Promise<void> {
    const body = (await drain(req)).toString('utf8');
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.key !== key) return this.error(res, 404, 'NoSuchUpload', 'no such upload');
    const numbers = [...body.matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => Number(m[1]));
    if (numbers.length === 0) return this.error(res, 400, 'MalformedXML', 'no parts');
    const file = join(this.dir, randomUUID());
    const out = createWriteStream(file);
    const md5 = createHash('md5');
    let size = 0;
    for (const number of numbers) {
      const part = upload.parts.get(number);
      if (!part) {
        out.destroy();
        return this.error(res, 400, 'InvalidPart', `part ${number}`);
      }
      for await (const chunk of createReadStream(part.file)) {
        md5.update(chunk as Buffer);
        size += (chunk as Buffer).length;
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
    }
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    this.uploads.delete(uploadId);
    const etag = `${md5.digest('hex')}-${numbers.length}`;
    bucket.set(key, {
      file,
      size,
      etag,
      lastModified: new Date(),
      contentType: upload.contentType,
      metadata: upload.metadata,
    });
    return this.xml(
      res,
      `<CompleteMultipartUploadResult><Location>${this.endpoint}/${bucketName}/${escape(key)}</Location><Bucket>${bucketName}</Bucket><Key>${escape(key)}</Key><ETag>"${etag}"</ETag></CompleteMultipartUploadResult>`,
    );
  }

  private async copy(
    req: IncomingMessage,
    res: ServerResponse,
    bucket: Map<string, StoredObject>,
    key: string,
    source: string,
  ): Promise<void> {
    await drain(req);
    const [sourceBucket = '', ...sourceKey] = decodeURIComponent(source).replace(/^\//, '').split('/');
    const original = this.buckets.get(sourceBucket)?.get(sourceKey.join('/'));
    if (!original) return this.error(res, 404, 'NoSuchKey', 'copy source does not exist');
    const replace = String(req.headers['x-amz-metadata-directive'] ?? 'COPY').toUpperCase() === 'REPLACE';
    const copied: StoredObject = {
      ...original,
      lastModified: new Date(),
      ...(replace ? describe(req.headers) : {}),
    };
    bucket.set(key, copied);
    return this.xml(
      res,
      `<CopyObjectResult><LastModified>${copied.lastModified.toISOString()}</LastModified><ETag>"${copied.etag}"</ETag></CopyObjectResult>`,
    );
  }

  private listObjects(
    res: ServerResponse,
    name: string,
    bucket: Map<string, StoredObject>,
    q: URLSearchParams,
  ): void {
    const prefix = q.get('prefix') ?? '';
    const after = q.get('continuation-token') || q.get('start-after') || '';
    const max = Math.min(Number(q.get('max-keys') ?? 1000) || 1000, 1000);
    const matching = [...bucket.keys()]
      .filter((key) => key.startsWith(prefix) && key > after)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const page = matching.slice(0, max);
    const truncated = matching.length > max;
    const contents = page
      .map((key) => {
        const object = bucket.get(key)!;
        return `<Contents><Key>${encodeURIComponent(key)}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><ETag>"${object.etag}"</ETag><Size>${object.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join('');
    this.xml(
      res,
      `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${name}</Name><Prefix>${escape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><EncodingType>url</EncodingType><IsTruncated>${truncated}</IsTruncated>${
        truncated ? `<NextContinuationToken>${escape(page[page.length - 1]!)}</NextContinuationToken>` : ''
      }${contents}</ListBucketResult>`,
    );
  }

  private listUploads(res: ServerResponse, name: string, q: URLSearchParams): void {
    const prefix = q.get('prefix') ?? '';
    const uploads = [...this.uploads.entries()]
      .filter(([, upload]) => upload.key.startsWith(prefix))
      .map(
        ([id, upload]) =>
          `<Upload><Key>${escape(upload.key)}</Key><UploadId>${id}</UploadId><Initiated>${upload.initiated.toISOString()}</Initiated><StorageClass>STANDARD</StorageClass></Upload>`,
      )
      .join('');
    this.xml(
      res,
      `<ListMultipartUploadsResult><Bucket>${name}</Bucket><Prefix>${escape(prefix)}</Prefix><IsTruncated>false</IsTruncated>${uploads}</ListMultipartUploadsResult>`,
    );
  }

  /** Streams a request body to a new file, hashing it (MD5 ETag, as S3 does for single PUTs). */
  private async receive(req: IncomingMessage): Promise<{ file: string; size: number; etag: string }> {
    const file = join(this.dir, randomUUID());
    const md5 = createHash('md5');
    let size = 0;
    await pipeline(
      req,
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          md5.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      }),
      createWriteStream(file),
    );
    return { file, size, etag: md5.digest('hex') };
  }

  private xml(res: ServerResponse, body: string): void {
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/xml');
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
  }

  private error(res: ServerResponse, status: number, code: string, message: string): void {
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/xml');
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escape(message)}</Message><RequestId>test</RequestId></Error>`,
    );
  }

  private end(res: ServerResponse, status: number): void {
    res.statusCode = status;
    res.end();
  }
}

function describe(headers: IncomingMessage['headers']): {
  contentType: string;
  metadata: Record<string, string>;
} {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (name.startsWith('x-amz-meta-') && typeof value === 'string') metadata[name.slice(11)] = value;
  return { contentType: String(headers['content-type'] ?? 'binary/octet-stream'), metadata };
}

async function drain(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The server in a child process: memory measured in the test process is then the adapter's alone. */
export async function startS3CompatibleServerProcess(): Promise<{
  endpoint: string;
  accessKey: string;
  close: () => Promise<void>;
}> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(__dirname, 's3-compatible.server.main.ts')],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (data: Buffer) => {
      text += data.toString();
      if (text.includes('\n')) resolve(text.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`S3-compatible server exited with ${code}`)));
  });
  const { endpoint, accessKey } = JSON.parse(line) as { endpoint: string; accessKey: string };
  return {
    endpoint,
    accessKey,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
