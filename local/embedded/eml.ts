import MailComposer from 'nodemailer/lib/mail-composer/index.js';

/**
 * A sent email as a readable .eml file: UTF-8 body left as 8-bit text (so the Vietnamese reads
 * as is in any editor), the subject encoded per RFC 2047 so mail clients show it too.
 */
export function toEml(email: { messageId: string; from: string; to: string[]; subject: string; text: string; date: Date }): string {
  const subject = `=?UTF-8?B?${Buffer.from(email.subject, 'utf8').toString('base64')}?=`;
  return [
    `From: ${email.from}`,
    `To: ${email.to.join(', ')}`,
    `Subject: ${subject}`,
    `Date: ${email.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${email.messageId}@local.ses>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    email.text.replace(/\r?\n/g, '\r\n'),
    '',
  ].join('\r\n');
}

/**
 * A sent email with an HTML part or attachments (the statement and its PDF) as an .eml file,
 * composed as a MIME message by nodemailer, so a mail client opens it with its attachment.
 */
export function toMimeEml(email: {
  messageId: string; from: string; to: string[]; subject: string; text?: string | undefined; html?: string | undefined; date: Date;
  attachments: { filename?: string | undefined; contentType: string; content: Buffer }[];
}): Promise<Buffer> {
  return new MailComposer({
    messageId: `<${email.messageId}@local.ses>`, date: email.date, from: email.from, to: email.to, subject: email.subject,
    text: email.text, html: email.html,
    attachments: email.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
  }).compile().build();
}
