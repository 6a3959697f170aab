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
  /** The End User Messaging SMS configuration set the reminder SMS are sent through (its events settle their claims). */
  SMS_CONFIGURATION_SET: z.string().min(1).optional(),
  /** Local run only: SMS are written to this folder (there is no local End User Messaging SMS). */
  SMS_OUTBOX_DIR: z.string().min(1).optional(),
  /**
   * The SSM SecureString parameter holding the Zalo Official Account's access token (README "Zalo ZNS":
   * the operator stores and renews it). Unset: no ZNS sender (reminders go by SMS).
   */
  ZNS_TOKEN_PARAMETER: z.string().regex(/^\/[A-Za-z0-9_.\-/]{1,1000}$/, 'must be an SSM parameter name starting with /').optional(),
  /** Local run only: ZNS messages are written to this folder (LOCAL_ZNS_NO_ZALO: phones with no Zalo, refused). */
  ZNS_OUTBOX_DIR: z.string().min(1).optional(),
  /**
   * Zalo's webhook (README "Zalo ZNS"): the Zalo app whose events are read (others are refused) and
   * the SSM SecureString parameter holding the OA secret key they are signed with.
   */
  ZNS_APP_ID: z.string().min(1).optional(),
  ZNS_WEBHOOK_SECRET_PARAMETER: z.string().regex(/^\/[A-Za-z0-9_.\-/]{1,1000}$/, 'must be an SSM parameter name starting with /').optional(),
  /** Local run only: the webhook's secret itself (there is no local SSM), and the ZNS stand-in's log of the events Zalo would post. */
  LOCAL_ZNS_WEBHOOK_SECRET: z.string().min(16).optional(),
  LOCAL_ZNS_EVENTS_LOG: z.string().min(1).optional(),
  /** Local run only: the SMS stand-in's status log, one event record per accepted SMS (local/embedded/sms-events.ts reads it). */
  LOCAL_SMS_EVENTS_LOG: z.string().min(1).optional(),
  /**
   * Local run only: the owner of every run lease this process takes. Its store folder is locked to
   * this one process (local/run-lock.ts), so a lease a crashed earlier run left there is its own.
   */
  RUN_LEASE_OWNER: z.string().min(1).optional(),
  /** The staff inbox's base URL (`…/inbox`): officers' emails link to their task there. The stack sets it from the staff API; locally the local stack. */
  INBOX_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The staff's Cognito user pool: the roster sync's directory (and the inbox's sign-out check). */
  USER_POOL_ID: z.string().min(1).optional(),
  /** Local run only: the staff directory is kept in the table (functions/commons/staff-directory.ts). */
  LOCAL_STAFF_DIRECTORY: z.literal('table').optional(),
  /** Local run only: where the directory's stand-in writes the invitations Cognito would email. */
  STAFF_INVITATIONS_DIR: z.string().min(1).optional(),
});

/** Environment read and validated once; a missing setting fails loudly at cold start. */
export function config() {
  return parseInput(envSchema, process.env);
}
