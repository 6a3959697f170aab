import { createHash, createHmac, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { clients } from './clients.ts';
import { toE164 } from '../core/phone.ts';
import { acceptInto, settlePending } from './pending-outbox.ts';
import { znsReceivedEvent } from './zns-webhook.ts';

/**
 * Zalo ZNS (Zalo Notification Service): a template message, approved by Zalo beforehand, sent to
 * the Zalo account of a phone number from the office's Official Account. The port the reminder run
 * sends ZNS through; the adapter calls Zalo's HTTP API, the local stand-in writes a folder.
 */
export interface Zns {
  templateId: string;
  /** The recipient's phone, any Vietnamese writing (core/phone.ts): sent as 84… without the +. */
  phone: string;
  /** The template's parameters by name (the policy's channels.zns, filled from the reminder). */
  params: Record<string, string>;
  /**
   * The message's claim, opaque (znsTrackingId): Zalo carries it back in its status and events, so
   * they find the claim; it names neither the participant nor their SI code.
   */
  trackingId: string;
}

export interface ZnsSender {
  /** Zalo's message id once accepted; a ZnsError otherwise. */
  send(zns: Zns): Promise<string>;
}

/**
 * Why ZNS did not take a message. `permanent`: this message will never go by ZNS (no Zalo account,
 * the OA blocked, an invalid phone, a template not approved, the OA's set-up): the reminder goes
 * by SMS instead. `retryable`: Zalo is down or rate-limits (HTTP 5xx, 429, a transient code): the
 * message is tried again by ZNS (the hourly rerun), never switched to SMS on a guess.
 * `reason` is a code (`zns-108`, `http-503`), never Zalo's message text (it can quote the phone).
 */
export class ZnsError extends Error {
  override readonly name = 'ZnsError';
  constructor(
    readonly kind: 'permanent' | 'retryable',
    readonly reason: string,
    /**
     * A refusal about the recipient, not the moment (no Zalo account, an invalid phone, the person
     * refused ZNS): an earlier attempt of the same message to the same phone was refused as well,
     * so an attempt of unknown outcome followed by this refusal reached no one and the SMS may go.
     */
    readonly aboutRecipient = false,
  ) {
    super(`ZNS ${kind}: ${reason}`);
  }
}

/**
 * Zalo's error codes (zalo.cloud/zns/guidelines/handle-error-code, checked for 0 and -100 to -112).
 * -100 "unknown error, try again later" is the one transient code of that verified table. The codes
 * below -112 are from Zalo's table as commonly quoted, NOT verified here: -118 (no Zalo account),
 * -119 (the account cannot receive ZNS), -124 (invalid access token), -131 (template not approved),
 * -139 (the user refused ZNS), -133 (outside the hours ZNS may be sent), -144 (the OA's daily quota
 * spent). Only the clearly transient ones are retried; every other non-zero code, known or not,
 * is permanent for this message: it then goes by SMS, which costs more but reaches the person.
 */
const TRANSIENT_CODES = new Set([-100, /* unverified */ -133, /* unverified */ -144]);
/** The refusals about the recipient (ZnsError.aboutRecipient): -108 invalid phone; unverified: -118, -119, -139. */
const RECIPIENT_CODES = new Set([-108, -118, -119, -139]);

export function znsFailure(code: number): ZnsError {
  return new ZnsError(TRANSIENT_CODES.has(code) ? 'retryable' : 'permanent', `zns${code}`, RECIPIENT_CODES.has(code));
}

/** The phone as Zalo takes it: 84… without the +; undefined when it is not a Vietnamese mobile. */
export function znsPhone(phone: string): string | undefined {
  return toE164(phone)?.slice(1);
}

/** The tracking id a claim's ZNS carries: a hash of the claim's key, 32 hex characters (Zalo allows up to 48). */
export function znsTrackingId(claimKey: { pk: string; sk: string }): string {
  return createHash('sha256').update(`${claimKey.pk}|${claimKey.sk}`).digest('hex').slice(0, 32);
}

/** No Zalo Official Account configured: every ZNS is refused for good, so the reminder goes by SMS. */
export const noZns: ZnsSender = { send: () => Promise.reject(new ZnsError('permanent', 'not-configured')) };

export const ZNS_ENDPOINT = 'https://business.openapi.zalo.me/message/template';

/**
 * ZNS by Zalo's HTTP API: POST the template message with the OA's access token. The token is read
 * from the SSM SecureString parameter the operator keeps current (README "Zalo ZNS"), cached for a
 * few minutes; a refused token (-124) reads it again on the next message.
 */
export class ZaloZnsSender implements ZnsSender {
  constructor(
    private readonly accessToken: AccessTokenSource,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly endpoint: string = ZNS_ENDPOINT,
  ) {}

  async send(zns: Zns): Promise<string> {
    const phone = znsPhone(zns.phone);
    if (!phone) throw znsFailure(-108);
    let response: Response;
    try {
      response = await this.fetchImpl(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', access_token: await this.accessToken.get() },
        body: JSON.stringify({ phone, template_id: zns.templateId, template_data: zns.params, tracking_id: zns.trackingId }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      // No answer (network, timeout): nothing known to be accepted, tried again by ZNS.
      throw new ZnsError('retryable', (error as Error).name === 'TimeoutError' ? 'timeout' : 'network');
    }
    if (response.status === 429 || response.status >= 500) throw new ZnsError('retryable', `http-${response.status}`);
    if (!response.ok) throw new ZnsError('permanent', `http-${response.status}`);
    const body = (await response.json().catch(() => undefined)) as { error?: unknown; data?: { msg_id?: unknown } } | undefined;
    const code = typeof body?.error === 'number' ? body.error : undefined;
    if (code === undefined) throw new ZnsError('retryable', 'bad-answer');
    if (code !== 0) {
      if (code === -124) this.accessToken.invalidate();
      throw znsFailure(code);
    }
    return typeof body?.data?.msg_id === 'string' ? body.data.msg_id : 'unknown';
  }
}

export interface AccessTokenSource {
  get(): Promise<string>;
  /** Forgets the cached token (Zalo refused it): the next get reads the parameter again. */
  invalidate(): void;
}

/**
 * The OA's access token from an SSM SecureString parameter (GetParameter, WithDecryption), cached
 * for `ttlMs`. The function's role may read that one parameter and decrypt with the key it names
 * (infra/registry/functions.ts).
 */
export class SsmAccessToken implements AccessTokenSource {
  private cached: { token: string; at: number } | undefined;
  constructor(
    private readonly parameterName: string,
    private readonly ssm: Pick<SSMClient, 'send'> = clients.ssm(),
    private readonly ttlMs = 5 * 60_000,
  ) {}

  invalidate() { this.cached = undefined; }

  async get(): Promise<string> {
    if (this.cached && Date.now() - this.cached.at < this.ttlMs) return this.cached.token;
    let token: string | undefined;
    try {
      token = (await this.ssm.send(new GetParameterCommand({ Name: this.parameterName, WithDecryption: true }))).Parameter?.Value;
    } catch (error) {
      // Only the error's name: SSM's message can name the parameter, never the token.
      throw new ZnsError('retryable', `token-${(error as Error).name}`);
    }
    if (!token) throw new ZnsError('retryable', 'token-empty');
    this.cached = { token, at: Date.now() };
    return token;
  }
}

/** A phone in a file name: its last three digits only (+84•••••••678 → `xxx678`). */
export const maskedPhone = (phone: string) => `xxx${(znsPhone(phone) ?? phone.replace(/\D/g, '')).slice(-3)}`;

export interface FolderZnsSenderOptions {
  /** Phones whose owner has no Zalo account: refused for good (-118), like Zalo would (LOCAL_ZNS_NO_ZALO, comma-separated). */
  noZalo?: readonly string[] | undefined;
  /**
   * Where the stand-in logs, for each message it accepts, the webhook event Zalo would post of it
   * (`user_received_message` with its tracking id; commons/zns-webhook.ts), one line each, outliving
   * the process; local/embedded/zns-events.ts posts them to the zns-feedback function.
   */
  eventsLog?: string | undefined;
  /** The app id the logged events carry (the local stack's, LOCAL_ZNS_APP_ID). */
  appId?: string | undefined;
}

/** The local stand-in's Zalo app id, when none is given. */
export const LOCAL_ZNS_APP_ID = 'local-zalo-app';

/**
 * The local stand-in for Zalo ZNS: each accepted message becomes one JSON file in the outbox
 * folder (one folder per local day) with the template id, the parameters and the tracking id; the
 * phone is in the file, masked in its name. Phones told to have no Zalo are refused for good, as
 * Zalo refuses them, so the fallback to SMS can be seen locally.
 */
export class FolderZnsSender implements ZnsSender {
  private readonly noZalo: Set<string>;
  constructor(private readonly dir: string, private readonly now: () => Date = () => new Date(), private readonly options: FolderZnsSenderOptions = {}) {
    const listed = options.noZalo ?? (process.env.LOCAL_ZNS_NO_ZALO ?? '').split(',');
    this.noZalo = new Set(listed.map((p) => znsPhone(p.trim())).filter((p): p is string => p !== undefined));
  }

  async send(zns: Zns): Promise<string> {
    const phone = znsPhone(zns.phone);
    if (!phone) throw znsFailure(-108);
    // unverified code (see TRANSIENT_CODES): Zalo's "no Zalo account".
    if (this.noZalo.has(phone)) throw znsFailure(-118);
    const msgId = randomUUID().replace(/-/g, '');
    const at = this.now();
    const day = new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
    await mkdir(join(this.dir, day), { recursive: true });
    const record = { msg_id: msgId, sent_time: at.toISOString(), phone, template_id: zns.templateId, template_data: zns.params, tracking_id: zns.trackingId };
    const delivered = join(this.dir, day, `${msgId.slice(0, 8)}-${maskedPhone(zns.phone)}${ZNS_FILE}`);
    const body = `${JSON.stringify(record, null, 2)}\n`;
    if (!this.options.eventsLog) await writeFile(delivered, body, 'utf8');
    // Accepted and its webhook event logged as one event, as at Zalo (commons/pending-outbox.ts).
    else await acceptInto(delivered, body, msgId, this.options.eventsLog, znsReceivedEvent(this.options.appId ?? LOCAL_ZNS_APP_ID, msgId, zns.trackingId, at));
    return msgId;
  }
}

const ZNS_FILE = '.zns.json';

/**
 * LOCAL ONLY, at the stand-in's start: the ZNS a killed process left pending (FolderZnsSender) are
 * delivered when the events log holds their event (Zalo had accepted them), deleted when not.
 */
export function settlePendingZns(dir: string, eventsLog: string): { delivered: number; dropped: number } {
  return settlePending(dir, eventsLog, ZNS_FILE, (event) => (event as { message?: { msg_id?: unknown } } | null)?.message?.msg_id);
}
