import { SendEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import { NoticeDeliveryError } from './errors.ts';

/**
 * Sends one plain-text UTF-8 email by SES. A failure surfaces as NoticeDeliveryError carrying only
 * SES's error name: SES messages can quote addresses, which must not reach the logs.
 */
export async function sendEmail(ses: SESClient, email: { from: string; to: string; subject: string; body: string }): Promise<string> {
  try {
    const sent = await ses.send(new SendEmailCommand({
      Source: email.from,
      Destination: { ToAddresses: [email.to] },
      Message: { Subject: { Data: email.subject, Charset: 'UTF-8' }, Body: { Text: { Data: email.body, Charset: 'UTF-8' } } },
    }));
    return sent.MessageId ?? 'unknown';
  } catch (error) {
    throw new NoticeDeliveryError((error as Error).name);
  }
}
