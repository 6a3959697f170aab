import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESClient } from '@aws-sdk/client-ses';
import { outboxName, startLocalSes, tagsOfRequest, type LocalSes } from '../../local/embedded/ses.ts';
import { SesMailer } from '../../functions/commons/mailer.ts';
import { claimTag } from '../../functions/commons/message-claims.ts';

/** The local outbox (the SES stand-in's .eml files): dated when sent, on the run's clock; named after whom each is for. */
describe('local outbox', () => {
  let ses: LocalSes;
  let now = new Date('2026-11-02T02:00:00Z');
  let mailer: SesMailer;
  beforeAll(async () => {
    ses = await startLocalSes({ now: () => now });
    mailer = new SesMailer(new SESClient({ region: 'ap-southeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, endpoint: ses.endpoint }));
  });
  afterAll(() => ses.close());

  it('each email is dated when it was sent on the run clock, not when drained; its file starts with its recipient key', async () => {
    const from = 'thongbao@bhxh.example.vn';
    now = new Date('2026-11-02T02:00:00Z');
    await mailer.send({ from, to: 'ketoan.td000006@example.vn', subject: 'Thông báo nợ 11/2026', body: 'Kính gửi', claim: { message: 'urging', unitCode: 'TD000006', cycle: '2026-11' } });
    now = new Date('2026-11-03T01:30:00Z');
    await mailer.send({ from, to: 'cb.pham.long.101@bhxh.example.vn', subject: 'Nhiệm vụ mới', body: 'Việc', claim: { message: 'officer-email', taskId: 'TD000006-2026-11-visit', purpose: 'task-assigned', assignment: 0 } });
    now = new Date('2026-11-04T00:15:00Z');
    await mailer.send({ from, to: 'nguoi.thamgia@example.vn', subject: 'Nhắc đóng BHXH tự nguyện 12/2026', body: 'Nhắc', claim: { message: 'reminder', cycle: { kind: 'vsi', code: '2729430000', coveredUntil: '2026-12-31' }, step: 'before-3', channel: 'email' } });
    now = new Date('2026-11-05T03:00:00Z');
    await mailer.sendWithAttachment({
      from, to: 'ketoan.td000007@example.vn', subject: 'Bảng đối chiếu 11/2026', text: 'x', html: '<p>x</p>',
      attachment: { filename: 'statement.pdf', content: Buffer.from('%PDF-1.4'), contentType: 'application/pdf' },
      claim: { message: 'statement', unitCode: 'TD000007', cycle: '2026-11' },
    });
    await mailer.send({ from, to: 'someone@example.vn', subject: 'Untagged 2026', body: 'x' });

    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    // Drained later (the end of the day's step): the drain's time is not the emails' date.
    expect(await ses.drainTo(dir, new Date('2026-11-30T00:00:00Z'))).toBe(5);
    const files = readdirSync(dir).sort();
    const named = (prefix: string) => {
      const file = files.find((f) => f.startsWith(prefix) && f.endsWith('.eml'));
      expect(file, `${prefix} in ${files.join(', ')}`).toBeDefined();
      return readFileSync(join(dir, file!), 'utf8');
    };
    const dateOf = (eml: string) => new Date(/^Date: (.+)$/m.exec(eml)![1]!.trim()).toISOString();
    expect(dateOf(named('TD000006-urging-ses-'))).toBe('2026-11-02T02:00:00.000Z');
    expect(dateOf(named('TD000006-2026-11-visit-officer-email-ses-'))).toBe('2026-11-03T01:30:00.000Z');
    expect(dateOf(named('2729430000-reminder-ses-'))).toBe('2026-11-04T00:15:00.000Z');
    expect(dateOf(named('TD000007-statement-ses-'))).toBe('2026-11-05T03:00:00.000Z');
    expect(files.filter((f) => f.startsWith('TD000007-statement-ses-') && f.endsWith('.pdf'))).toHaveLength(1);
    // No claim, no key: the name says so, and is never taken from the address or the subject.
    expect(dateOf(named('untagged-ses-'))).toBe('2026-11-05T03:00:00.000Z');
    for (const f of files) expect(f).not.toMatch(/ketoan|example|cb\.pham|nguoi|someone/);
    // Drained, the records go with the emails: the next drain writes nothing again.
    expect(await ses.drainTo(dir, new Date())).toBe(0);
  });

  it('names come from the claim tag alone, made safe for a file name', () => {
    const tags = tagsOfRequest({ 'Tags.member.1.Name': 'claim', 'Tags.member.1.Value': claimTag.of({ message: 'pre-disclosure', unitCode: 'TD000009' }), 'Tags.member.2.Name': 'x' });
    expect(tags).toEqual({ claim: claimTag.of({ message: 'pre-disclosure', unitCode: 'TD000009' }) });
    expect(outboxName(tags, 'ses-123456789')).toBe('TD000009-pre-disclosure-ses-123456789');
    expect(outboxName({ claim: claimTag.of({ message: 'payment-confirmation', unitCode: 'TD000010', reference: 'BANK/1' }) }, 'ses-1')).toBe('TD000010-payment-confirmation-ses-1');
    expect(outboxName({ claim: 'not-a-claim' }, 'ses-1')).toBe('untagged-ses-1');
    expect(outboxName({}, 'ses-1')).toBe('untagged-ses-1');
  });
});
