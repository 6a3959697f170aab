import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import {
  GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand, S3ServiceException, paginateListObjectsV2, type S3Client,
} from '@aws-sdk/client-s3';

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
  /** Every key under the prefix, at any depth, sorted (S3: s3:ListBucket, which the role allows only under its prefix). */
  list(prefix: string): Promise<string[]>;
  /** Where a key lives, for summaries: s3://bucket/key or a file path. */
  locate(key: string): string;
}

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** An object's size and version: its S3 ETag (a folder: size and modification time). */
export interface ObjectVersion {
  size: number;
  version: string;
}

/**
 * The import bucket: the office's CSV files uploaded under `imports/<batch>/`, and what the
 * import writes beside them (reports, checkpoints' state). Files are read in ranges from a byte
 * offset, never whole, and only while they are still the version the import started on.
 */
export interface ImportBucket extends DocumentStore {
  stat(key: string): Promise<ObjectVersion | undefined>;
  /** The object's bytes from an offset on; fails with ObjectChangedError when it is no longer that version. */
  read(key: string, version: string, fromByte: number): AsyncIterable<Uint8Array>;
  putBytes(key: string, bytes: Uint8Array): Promise<void>;
  getBytes(key: string): Promise<Uint8Array | undefined>;
}

/** The file was replaced while it was being imported: its new version gets an import of its own. */
export class ObjectChangedError extends Error {
  override readonly name = 'ObjectChangedError';
  constructor(key: string) {
    super(`${key} changed while it was read`);
  }
}

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

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2({ client: this.s3 }, { Bucket: this.bucket, Prefix: prefix })) {
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    }
    return keys.sort();
  }

  locate(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  protected request(key: string, body: string | Uint8Array, contentType: string) {
    return {
      Bucket: this.bucket, Key: key, Body: body, ContentType: contentType,
      ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: this.kmsKeyArn, BucketKeyEnabled: true,
    };
  }
}

/** The import bucket in S3: the same key encrypts what the import writes there. */
export class S3ImportBucket extends S3DocumentStore implements ImportBucket {
  constructor(private readonly client: S3Client, private readonly bucketName: string, kmsKeyArn: string) {
    super(client, bucketName, kmsKeyArn);
  }

  async stat(key: string): Promise<ObjectVersion | undefined> {
    try {
      const r = await this.client.send(new HeadObjectCommand({ Bucket: this.bucketName, Key: key }));
      return { size: r.ContentLength ?? 0, version: r.ETag ?? '' };
    } catch (error) {
      if (error instanceof NotFound || error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  async *read(key: string, version: string, fromByte: number): AsyncIterable<Uint8Array> {
    let body;
    try {
      // IfMatch: a file replaced mid-import is not read on as if it were the same one.
      body = (await this.client.send(new GetObjectCommand({ Bucket: this.bucketName, Key: key, Range: `bytes=${fromByte}-`, IfMatch: version }))).Body;
    } catch (error) {
      const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
      if (status === 416) return; // the offset is the end of the file: nothing left
      if (status === 412) throw new ObjectChangedError(key);
      throw error;
    }
    if (body) yield* body as unknown as AsyncIterable<Uint8Array>;
  }

  async putBytes(key: string, bytes: Uint8Array): Promise<void> {
    await this.client.send(new PutObjectCommand(this.request(key, bytes, 'application/octet-stream')));
  }

  async getBytes(key: string): Promise<Uint8Array | undefined> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucketName, Key: key }));
      if (!r.Body) return undefined;
      // Read into one buffer of the object's size: a checkpoint's filter (up to 32 MiB) is not held twice.
      const out = new Uint8Array(r.ContentLength ?? 0);
      let at = 0;
      for await (const chunk of r.Body as unknown as AsyncIterable<Uint8Array>) {
        out.set(chunk, at);
        at += chunk.length;
      }
      return out;
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
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

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string) => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const e of entries) {
        const path = join(dir, e.name);
        if (e.isDirectory()) await walk(path);
        else if (e.isFile()) out.push(relative(this.rootDir, path).split(sep).join('/'));
      }
    };
    await walk(this.rootDir);
    return out.filter((k) => k.startsWith(prefix)).sort();
  }


  protected path(key: string): string {
    const path = resolve(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw new Error(`Document key leaves the folder: ${key}`);
    return path;
  }

  protected get rootDir(): string {
    return this.root;
  }
}

/** A folder standing in for the import bucket locally; a file's version is its size and modification time. */
export class FolderImportBucket extends FolderDocumentStore implements ImportBucket {
  async stat(key: string): Promise<ObjectVersion | undefined> {
    try {
      const s = await stat(this.path(key));
      return { size: s.size, version: versionOf(s) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async *read(key: string, version: string, fromByte: number): AsyncIterable<Uint8Array> {
    const path = this.path(key);
    const now = await stat(path).catch(() => undefined);
    if (!now || versionOf(now) !== version) throw new ObjectChangedError(key);
    yield* createReadStream(path, { start: fromByte }) as AsyncIterable<Buffer>;
  }

  async putBytes(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
  }

  async getBytes(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}

const versionOf = (s: { size: number; mtimeMs: number }) => `${s.size}-${Math.round(s.mtimeMs)}`;
