import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';

/**
 * Where the reports go: the quarterly list for the authorities and the published disclosure
 * lists. An S3 bucket in AWS; a folder on the local run (there is no local S3).
 */
export interface DocumentStore {
  /** Writes the document, replacing the one under the key (a report made again for the same data). */
  put(key: string, body: string, contentType?: string): Promise<void>;
  /** Writes the document only if none is under the key yet: false when one was already there. */
  putNew(key: string, body: string, contentType?: string): Promise<boolean>;
  get(key: string): Promise<string | undefined>;
  /** Where a key lives, for summaries: s3://bucket/key or a file path. */
  locate(key: string): string;
}

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** S3, every object encrypted with the stack's customer-managed key (SSE-KMS, with a bucket key). */
export class S3DocumentStore implements DocumentStore {
  constructor(private readonly s3: S3Client, private readonly bucket: string, private readonly kmsKeyArn: string) {}

  async put(key: string, body: string, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand(this.request(key, body, contentType)));
  }

  async putNew(key: string, body: string, contentType: string): Promise<boolean> {
    try {
      // Conditional write: S3 refuses it (412) when the key exists, so a publication is never replaced.
      await this.s3.send(new PutObjectCommand({ ...this.request(key, body, contentType), IfNoneMatch: '*' }));
      return true;
    } catch (error) {
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 412) return false;
      throw error;
    }
  }

  async get(key: string): Promise<string | undefined> {
    try {
      const r = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return await r.Body?.transformToString('utf-8');
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  locate(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  private request(key: string, body: string, contentType: string) {
    return {
      Bucket: this.bucket, Key: key, Body: body, ContentType: contentType,
      ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: this.kmsKeyArn, BucketKeyEnabled: true,
    };
  }
}

/** A folder standing in for the bucket on the local run: keys become relative paths. */
export class FolderDocumentStore implements DocumentStore {
  private readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(key: string, body: string): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body, 'utf8');
  }

  async putNew(key: string, body: string): Promise<boolean> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    try {
      await writeFile(path, body, { encoding: 'utf8', flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return await readFile(this.path(key), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  locate(key: string): string {
    return this.path(key);
  }

  private path(key: string): string {
    const path = resolve(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw new Error(`Document key leaves the folder: ${key}`);
    return path;
  }
}
