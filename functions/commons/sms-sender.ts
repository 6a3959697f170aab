import { createHash, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { NoticeDeliveryError } from './errors.ts';
import { claimTag, type MessageRef } from './message-claims.ts';

/** Sends one SMS; returns the provider's message id. The port the reminder run sends SMS through. */
export interface Sms {
  to: string;
  text: string;
  senderId: string;
  /** The message's claim, sent as an SNS message attribute so delivery status finds it. */
  claim?: MessageRef | undefined;
}

export interface SmsSender {
  send(sms: Sms): Promise<string>;
}

/** A Vietnamese phone number in E.164: 0912345678, 84912345678 and +84912345678 are all +84912345678. */
export function e164(phone: string): string {
  const digits = phone.replace(/^\+/, '');
  if (digits.startsWith('84')) return `+${digits}`;
  if (digits.startsWith('0')) return `+84${digits.slice(1)}`;
  return `+${digits}`;
}

/** What a suppression is keyed by: a hash of the normalised address, so the address itself is not a key. */
export function addressHash(channel: 'sms' | 'email', address: string): string {
  const normalised = channel === 'sms' ? e164(address) : address.trim().toLowerCase();
  return createHash('sha256').update(`${channel}:${normalised}`).digest('hex');
}

/**
 * SMS by Amazon SNS (Publish to a phone number): transactional, with the registered sender ID. A
 * failure keeps only SNS's error name (its messages can quote the number).
 */
export class SnsSmsSender implements SmsSender {
  constructor(private readonly sns: SNSClient) {}

  async send(sms: Sms): Promise<string> {
    try {
      const r = await this.sns.send(new PublishCommand({
        PhoneNumber: e164(sms.to),
        Message: sms.text,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: sms.senderId },
          ...(sms.claim ? { [claimTag.NAME]: { DataType: 'String', StringValue: claimTag.of(sms.claim) } } : {}),
        },
      }));
      return r.MessageId ?? 'unknown';
    } catch (error) {
      throw new NoticeDeliveryError((error as Error).name);
    }
  }
}

/** The local stand-in (there is no local SNS): each SMS becomes a .sms.txt file in the outbox folder. */
export class FolderSmsSender implements SmsSender {
  constructor(private readonly dir: string, private readonly now: () => Date = () => new Date()) {}

  async send(sms: Sms): Promise<string> {
    // The fault harness's SMS outage: LOCAL_SMS_FAIL_WINDOW=<from epoch ms>-<to epoch ms> (wall clock).
    const window = process.env.LOCAL_SMS_FAIL_WINDOW?.split('-').map(Number);
    if (window && Date.now() >= window[0]! && Date.now() < window[1]!) throw new NoticeDeliveryError('ServiceUnavailable');
    const messageId = randomUUID();
    const at = this.now();
    // One folder per local day (the office is UTC+7 all year).
    const day = new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
    await mkdir(join(this.dir, day), { recursive: true });
    await writeFile(join(this.dir, day, `${messageId.slice(0, 8)}.sms.txt`), `From: ${sms.senderId}\nTo: ${e164(sms.to)}\nDate: ${at.toISOString()}\n${sms.claim ? `Claim: ${claimTag.of(sms.claim)}\n` : ''}\n${sms.text}\n`, 'utf8');
    return messageId;
  }
}
