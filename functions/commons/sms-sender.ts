import { createHash, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SendTextMessageCommand, type PinpointSMSVoiceV2Client, type SendTextMessageCommandInput } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { NoticeDeliveryError } from './errors.ts';
import { acceptInto, settlePending } from './pending-outbox.ts';
import { claimTag, type MessageRef } from './message-claims.ts';
import { toE164 } from '../core/phone.ts';

/** Sends one SMS; returns the provider's message id. The port the reminder run sends SMS through. */
export interface Sms {
  to: string;
  text: string;
  senderId: string;
  /** The message's claim, sent as the SMS's context so its events (delivery status) find it. */
  claim?: MessageRef | undefined;
}

export interface SmsSender {
  send(sms: Sms): Promise<string>;
}

/**
 * A Vietnamese phone number in E.164 (core/phone.ts: 091 234 5678, 84912345678 and +84912345678
 * are all +84912345678). An invalid one keeps only its digits: a suppression of it still matches
 * the same writing, and the sender refuses to send to it.
 */
export function e164(phone: string): string {
  return toE164(phone) ?? phone.replace(/[^\d+]/g, '');
}

/** What a suppression is keyed by: a hash of the normalised address, so the address itself is not a key. */
export function addressHash(channel: 'sms' | 'email', address: string): string {
  const normalised = channel === 'sms' ? e164(address) : address.trim().toLowerCase();
  return createHash('sha256').update(`${channel}:${normalised}`).digest('hex');
}

/** What End User Messaging SMS is asked to send: the one place the request is made from a reminder SMS. */
export function sendTextMessageInput(sms: Sms, configurationSetName: string): SendTextMessageCommandInput {
  const to = toE164(sms.to);
  // The imports refuse an invalid number; one that got past them (an older record) is never sent to.
  if (!to) throw new NoticeDeliveryError('InvalidPhoneNumber');
  return {
    DestinationPhoneNumber: to,
    // The registered sender ID (a brand name: Vietnam's carriers take SMS from registered senders only).
    OriginationIdentity: sms.senderId,
    MessageBody: sms.text,
    MessageType: 'TRANSACTIONAL',
    // Its events (sent, delivered, blocked...) go to the sms-feedback function through this set...
    ConfigurationSetName: configurationSetName,
    // ...each carrying this context, so they find the message's claim.
    ...(sms.claim ? { Context: { [claimTag.NAME]: claimTag.of(sms.claim) } } : {}),
  };
}

/**
 * SMS by AWS End User Messaging SMS (SendTextMessage), transactional, from the registered sender ID,
 * through the configuration set whose events record delivery on the claim. A failure keeps only the
 * error's name (its message can quote the number); `ThrottlingException` is the name deliver-once
 * counts as throttling (core/claim-rule.ts), retried, never a failure.
 */
export class EndUserMessagingSmsSender implements SmsSender {
  constructor(private readonly client: PinpointSMSVoiceV2Client, private readonly configurationSetName: string) {}

  async send(sms: Sms): Promise<string> {
    const input = sendTextMessageInput(sms, this.configurationSetName);
    try {
      const r = await this.client.send(new SendTextMessageCommand(input));
      return r.MessageId ?? 'unknown';
    } catch (error) {
      throw new NoticeDeliveryError((error as Error).name);
    }
  }
}

/**
 * One End User Messaging SMS event record, as the configuration set publishes it (the SNS message's
 * body). The stand-in writes the fields the sms-feedback function reads; not the phone numbers.
 */
export interface SmsEventRecord {
  eventType: string;
  eventVersion: string;
  eventTimestamp: number;
  isFinal: boolean;
  messageId: string;
  messageRequestTimestamp: number;
  messageType: 'TRANSACTIONAL';
  messageStatus: string;
  context?: Record<string, string>;
}

export interface FolderSmsSenderOptions {
  /**
   * The provider's status log (LOCAL_SMS_EVENTS_LOG): one event record per accepted SMS, one JSON
   * line each, outliving the process, which local/embedded/sms-events.ts feeds to sms-feedback.
   */
  eventsLog?: string | undefined;
}

/**
 * The local stand-in for End User Messaging SMS: each SMS becomes a .sms.txt file in the outbox
 * folder, and what the configuration set would publish of it (a TEXT_SENT event with its claim)
 * a line of the status log.
 */
export class FolderSmsSender implements SmsSender {
  constructor(private readonly dir: string, private readonly now: () => Date = () => new Date(), private readonly options: FolderSmsSenderOptions = {}) {}

  async send(sms: Sms): Promise<string> {
    // As End User Messaging would be asked (sendTextMessageInput): never to an invalid number.
    if (!toE164(sms.to)) throw new NoticeDeliveryError('InvalidPhoneNumber');
    // The fault harness's SMS outage: LOCAL_SMS_FAIL_WINDOW=<from epoch ms>-<to epoch ms> (wall clock). Nothing accepted, nothing logged.
    const window = process.env.LOCAL_SMS_FAIL_WINDOW?.split('-').map(Number);
    if (window && Date.now() >= window[0]! && Date.now() < window[1]!) throw new NoticeDeliveryError('ServiceUnavailable');
    const messageId = randomUUID();
    const at = this.now();
    // One folder per local day (the office is UTC+7 all year).
    const day = new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
    await mkdir(join(this.dir, day), { recursive: true });
    const delivered = join(this.dir, day, `${messageId.slice(0, 8)}.sms.txt`);
    const body = `From: ${sms.senderId}\nTo: ${e164(sms.to)}\nDate: ${at.toISOString()}\n${sms.claim ? `Claim: ${claimTag.of(sms.claim)}\n` : ''}\n${sms.text}\n`;
    if (!this.options.eventsLog) {
      await writeFile(delivered, body, 'utf8');
      return messageId;
    }
    // Accepted and recorded as one event, as at the provider (commons/pending-outbox.ts).
    const record: SmsEventRecord = {
      eventType: 'TEXT_SENT', eventVersion: '1.0', eventTimestamp: at.getTime(), isFinal: false, messageId,
      messageRequestTimestamp: at.getTime(), messageType: 'TRANSACTIONAL', messageStatus: 'SENT',
      ...(sms.claim ? { context: { [claimTag.NAME]: claimTag.of(sms.claim) } } : {}),
    };
    await acceptInto(delivered, body, messageId, this.options.eventsLog, record);
    return messageId;
  }
}

/**
 * LOCAL ONLY, at the stand-in's start: the SMS a killed process left pending (FolderSmsSender) are
 * delivered when the status log holds their record (the provider had accepted them), deleted when not.
 */
export function settlePendingSms(dir: string, eventsLog: string): { delivered: number; dropped: number } {
  return settlePending(dir, eventsLog, '.sms.txt', (record) => (record as { messageId?: unknown } | null)?.messageId);
}
