import { z } from 'zod';
import { parseInput } from './handler.ts';

const envSchema = z.object({
  TABLE_NAME: z.string().min(3),
  STATE_MACHINE_ARN: z.string().optional(),
  /** The reports bucket and the key its objects are encrypted with (the quarterly list, disclosures). */
  DOCUMENTS_BUCKET: z.string().min(3).optional(),
  DOCUMENTS_KEY_ARN: z.string().min(1).optional(),
  /** Local run only: a folder stands in for the bucket. */
  DOCUMENTS_DIR: z.string().min(1).optional(),
  /** The import bucket (its objects use DOCUMENTS_KEY_ARN, the stack's key). */
  IMPORT_BUCKET: z.string().min(3).optional(),
  /** Local run only: a folder stands in for the import bucket. */
  IMPORT_DIR: z.string().min(1).optional(),
  /** Local run only: SMS are written to this folder (there is no local SNS). */
  SMS_OUTBOX_DIR: z.string().min(1).optional(),
  /**
   * Local run only: the owner of every run lease this process takes. Its store folder is locked to
   * this one process (local/run-lock.ts), so a lease a crashed earlier run left there is its own.
   */
  RUN_LEASE_OWNER: z.string().min(1).optional(),
});

/** Environment read and validated once; a missing setting fails loudly at cold start. */
export function config() {
  return parseInput(envSchema, process.env);
}
