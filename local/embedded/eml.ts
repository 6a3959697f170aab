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
