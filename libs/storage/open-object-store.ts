import { join } from 'node:path';
import type { AppConfig } from '@personae/config';
import { FilesystemObjectStore } from './filesystem-object-store';
import type { ObjectStore } from './object-store.port';
import { S3ObjectStore } from './s3-object-store';

export interface ObjectStoreOptions {
  /** S3 region; default AppConfig `s3.region` (S3_REGION, us-east-1). */
  s3Region?: string;
  /** S3 multipart part size in bytes; default AppConfig `s3.partSize` (S3_PART_SIZE, 8 MiB). */
  s3PartSize?: number;
  /** Path-style URLs; default AppConfig `s3.pathStyle` (S3_PATH_STYLE, true; MinIO needs them). */
  s3PathStyle?: boolean;
}

/** The adapter AppConfig chooses: S3 when S3_ENDPOINT is set (bucket ensured), else DATA_DIR/objects. */
export async function openObjectStore(
  config: AppConfig,
  options: ObjectStoreOptions = {},
): Promise<ObjectStore> {
  const { endpoint, bucket, accessKey, secretKey } = config.s3;
  if (endpoint) {
    if (!accessKey || !secretKey)
      throw new Error('S3_ACCESS_KEY and S3_SECRET_KEY are required with S3_ENDPOINT');
    const store = new S3ObjectStore({
      endpoint,
      bucket,
      accessKey,
      secretKey,
      region: options.s3Region ?? config.s3.region,
      partSize: options.s3PartSize ?? config.s3.partSize,
      pathStyle: options.s3PathStyle ?? config.s3.pathStyle,
    });
    await store.ensureBucket();
    return store;
  }
  const store = new FilesystemObjectStore(join(config.dataDir, 'objects'));
  await store.init();
  return store;
}
