import { SendEmailCommand, SendRawEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { NoticeDeliveryError } from './errors.ts';
import { claimTag, type MessageRef } from './message-claims.ts';

export interface PlainEmail {
  from: string;
  to: string;
  subject: string;
  body: string;
  /** The message's claim: it goes with the email as an SES tag, so the sending identity's configuration-set events find it. */
  claim?: MessageRef | undefined;
}

/** The claim as an SES message tag (the identities' default configuration set publishes the events). */
const tagsOf = (claim: MessageRef | undefined) => (claim ? [{ Name: claimTag.NAME, Value: claimTag.of(claim) }] : undefined);

/** Sends email; returns the provider's message id. The port every step sends email through. */
export interface Mailer {
  send(email: PlainEmail): Promise<string>;
  sendWithAttachment(email: EmailWithAttachment): Promise<string>;
}

/** Amazon SES (the local stack points the same client at its SES stand-in). */
export class SesMailer implements Mailer {
  constructor(private readonly ses: SESClient) {}
  send(email: PlainEmail): Promise<string> {
    return sendEmail(this.ses, email);
  }
  sendWithAttachment(email: EmailWithAttachment): Promise<string> {
    return sendEmailWithAttachment(this.ses, email);
  }
}

/**
 * Sends one plain-text UTF-8 email by SES. A failure surfaces as NoticeDeliveryError carrying only
 * SES's error name: SES messages can quote addresses, which must not reach the logs.
 */
async function sendEmail(ses: SESClient, email: PlainEmail): Promise<string> {
  try {
    const sent = await ses.send(new SendEmailCommand({
      Source: email.from,
      Destination: { ToAddresses: [email.to] },
      Message: { Subject: { Data: email.subject, Charset: 'UTF-8' }, Body: { Text: { Data: email.body, Charset: 'UTF-8' } } },
      Tags: tagsOf(email.claim),
    }));
    return sent.MessageId ?? 'unknown';
  } catch (error) {
    throw new NoticeDeliveryError((error as Error).name);
  }
}

export interface EmailWithAttachment {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachment: { filename: string; content: Buffer; contentType: string };
  claim?: MessageRef | undefined;
}

/**
 * Sends an email with an HTML body (and its plain-text alternative) and one attachment by SES
 * SendRawEmail: the MIME message is built by nodemailer's MailComposer. Failures as sendEmail's.
 */
async function sendEmailWithAttachment(ses: SESClient, email: EmailWithAttachment): Promise<string> {
  const raw = await new MailComposer({
    from: email.from, to: email.to, subject: email.subject, text: email.text, html: email.html,
    attachments: [{ filename: email.attachment.filename, content: email.attachment.content, contentType: email.attachment.contentType }],
    // The claim in the message itself too: whoever holds the message can tell which one it is.
    headers: email.claim ? { 'X-Claim-Key': claimTag.of(email.claim) } : {},
  }).compile().build();
  try {
    const sent = await ses.send(new SendRawEmailCommand({ Source: email.from, Destinations: [email.to], RawMessage: { Data: raw }, Tags: tagsOf(email.claim) }));
    return sent.MessageId ?? 'unknown';
  } catch (error) {
    throw new NoticeDeliveryError((error as Error).name);
  }
}
