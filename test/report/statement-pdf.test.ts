import { describe, expect, it } from 'vitest';
import { extractText, getDocumentProxy } from 'unpdf';
import { ledgerStatus } from '../../functions/core/ledger.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { POLICY_VERSIONS, deadlineOf } from '../../functions/core/policy.ts';
import { formatVnd } from '../../functions/core/money.ts';
import { buildStatement, renderStatement } from '../../functions/core/statement.ts';
import { statementPdf } from '../../functions/report/statement-pdf.ts';
import { transferContentFor } from '../../functions/core/office.ts';
import { OFFICER, office, SENT_AT } from '../support/letter.ts';
import { letterOf } from '../support/letter.ts';

const policy = POLICY_VERSIONS.at(-1)!;
const periods = Array.from({ length: 14 }, (_, i) => addMonths('2025-09', i)).map((period) => ({ period, amountDue: 12_345_678, dueDate: deadlineOf(period, policy) }));
const payments = periods.filter((p) => p.period < '2026-08').map((p) => ({ reference: `UNC-${p.period}`, paidOn: p.dueDate, amount: p.amountDue }));
const status = ledgerStatus(periods, payments, '2026-11-02', policy);
const statement = buildStatement('TA0012345', status, '2026-11', policy);
const recipient = { unitCode: 'TA0012345', name: 'Công ty TNHH May mặc Hoà Bình', taxCode: '2700123456', locale: 'vi' as const };

async function textOf(pdf: Buffer): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
  return text;
}

describe('statement PDF', () => {
  it('is a PDF whose text carries the Vietnamese wording and the amounts of the email', async () => {
    const doc = renderStatement(recipient, statement, policy, letterOf('statement', 'TA0012345'));
    const pdf = await statementPdf(doc);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await textOf(pdf);
    expect(text).toContain('THÔNG BÁO KẾT QUẢ ĐÓNG BHXH, BHYT, BHTN THÁNG 11/2026');
    expect(text).toContain('Công ty TNHH May mặc Hoà Bình');
    expect(text).toContain('Còn nợ');
    expect(text).toContain(formatVnd(12_345_678));
    expect(text).toContain(formatVnd(statement.totals.balance));
    expect(text).toContain(formatVnd(status.debt));
    for (const s of doc.summary) expect(text).toContain(s.label);
    expect(text).not.toMatch(/\{\{/);
  });

  // After the Vietnamese one: the shared fonts must not lose A and E (met first inside Á, Ế).
  it('is the same bytes for the same statement (its hash is recorded), and has an English variant', async () => {
    const doc = renderStatement({ ...recipient, locale: 'en' }, statement, policy, letterOf('statement', 'TA0012345'));
    const [a, b] = await Promise.all([statementPdf(doc), statementPdf(doc)]);
    expect(a.equals(b)).toBe(true);
    expect(await textOf(a)).toContain('Balance carried');
  });

  it('is a letter the unit can act on: letterhead, number and date, accounts, transfer content, officer, signature, every page numbered, created at the send time', async () => {
    // 40 periods, the last 30 unpaid: the table runs onto a second page.
    const many = Array.from({ length: 40 }, (_, i) => addMonths('2023-07', i)).map((period) => ({ period, amountDue: 9_876_543, dueDate: deadlineOf(period, policy) }));
    const long = buildStatement('TA0012345', ledgerStatus(many, many.slice(0, 10).map((p) => ({ reference: `U-${p.period}`, paidOn: p.dueDate, amount: p.amountDue })), '2026-11-02', policy), '2026-11', policy);
    const letter = letterOf('statement', 'TA0012345');
    const pdf = await statementPdf(renderStatement(recipient, long, policy, letter));
    const proxy = await getDocumentProxy(new Uint8Array(pdf));
    const { text: pages, totalPages } = await extractText(proxy, { mergePages: false });
    expect(totalPages).toBeGreaterThanOrEqual(2);
    pages.forEach((page, i) => expect(page).toContain(`Trang ${i + 1}/${totalPages}`));
    // Lines wrap where the page ends them: compared with spaces for line breaks.
    const all = pages.join('\n').replace(/\s+/g, ' ');
    for (const line of ['BẢO HIỂM XÃ HỘI TỈNH NINH BÌNH', office.name.vi, `Số: ${letter.number}`, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'Tam Điệp, ngày 02 tháng 11 năm 2026', 'GIÁM ĐỐC']) {
      expect(all).toContain(line);
    }
    for (const a of office.bankAccounts) expect(all).toContain(a.accountNumber);
    expect(all).toContain(transferContentFor(office, 'TA0012345', '2026-11'));
    expect(all).toContain(`${OFFICER.name}, điện thoại ${OFFICER.phone}`);
    expect(all).toContain(office.phone);
    const { info } = (await proxy.getMetadata()) as unknown as { info: Record<string, string> };
    // PDF dates are D:YYYYMMDDHHmmss in UTC: 09:00 in Ho Chi Minh City is 02:00Z.
    expect(info.CreationDate).toMatch(/^D:20261102020000Z/);
    expect(SENT_AT.toISOString()).toBe('2026-11-02T02:00:00.000Z');
  });

  it('numbers a one-page statement "1/1" and its English variant "Page 1 of 1"', async () => {
    const vi = await textOf(await statementPdf(renderStatement(recipient, statement, policy, letterOf('statement', 'TA0012345'))));
    expect(vi).toContain('Trang 1/1');
    const en = await textOf(await statementPdf(renderStatement({ ...recipient, locale: 'en' }, statement, policy, letterOf('statement', 'TA0012345'))));
    expect(en).toContain('Page 1 of 1');
    expect(en).toContain('SOCIALIST REPUBLIC OF VIET NAM');
  });

  it('gives the same bytes whatever was drawn before it: the word layouts shared between documents change nothing (and are renewed)', async () => {
    const doc = renderStatement(recipient, statement, policy, letterOf('statement', 'TA0012345'));
    const first = await statementPdf(doc);
    // Others in between, with other amounts and names, past the renewal of the shared layouts (every 250 documents).
    for (let i = 0; i < 260; i++) {
      const other = ledgerStatus(periods.map((p) => ({ ...p, amountDue: p.amountDue + i * 7_919 })), payments, '2026-11-02', policy);
      await statementPdf(renderStatement({ ...recipient, name: `Công ty Cổ phần Số ${i}`, locale: i % 2 ? 'en' : 'vi' }, buildStatement('TA0012345', other, '2026-11', policy), policy, letterOf('statement', 'TA0012345')));
    }
    expect((await statementPdf(doc)).equals(first)).toBe(true);
  });
});
