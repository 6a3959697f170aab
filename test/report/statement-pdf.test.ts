import { describe, expect, it } from 'vitest';
import { extractText, getDocumentProxy } from 'unpdf';
import { ledgerStatus } from '../../functions/core/ledger.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { POLICY_VERSIONS, deadlineOf } from '../../functions/core/policy.ts';
import { formatVnd } from '../../functions/core/money.ts';
import { buildStatement, renderStatement } from '../../functions/core/statement.ts';
import { statementPdf } from '../../functions/report/statement-pdf.ts';
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
});
