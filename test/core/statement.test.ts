import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ledgerStatus } from '../../functions/core/ledger.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { POLICY_VERSIONS, deadlineOf, policySchema } from '../../functions/core/policy.ts';
import { formatVnd } from '../../functions/core/money.ts';
import { buildStatement, renderStatement, statementDate, statementText } from '../../functions/core/statement.ts';
import { letterOf } from '../support/letter.ts';

const policy = POLICY_VERSIONS.at(-1)!;
const recipient = { unitCode: 'TA0012345', name: 'Công ty TNHH May mặc Hoà Bình', taxCode: '2700123456', locale: 'vi' as const };
/** Twenty periods from 2025-03 to 2026-10, 10 M each; all paid on time except 2026-08 (in part) and 2026-09, 2026-10. */
const periods = Array.from({ length: 20 }, (_, i) => addMonths('2025-03', i)).map((period) => ({ period, amountDue: 10_000_000, dueDate: deadlineOf(period, policy) }));
const payments = periods
  .filter((p) => p.period < '2026-08')
  .map((p) => ({ reference: `UNC-${p.period}`, paidOn: p.dueDate, amount: p.amountDue }))
  .concat([{ reference: 'UNC-2026-08', paidOn: '2026-09-30', amount: 4_000_000 }]);
const status = ledgerStatus(periods, payments, '2026-11-02', policy);
const statement = buildStatement('TA0012345', status, '2026-11', policy);

describe('statement figures', () => {
  it('shows the last 12 months in detail, with the figures of the ledger', () => {
    expect(statement.rows.map((r) => r.period)).toEqual(Array.from({ length: 12 }, (_, i) => addMonths('2025-11', i)));
    for (const row of statement.rows) {
      const p = status.periods.find((s) => s.period === row.period)!;
      expect(row).toEqual({ period: p.period, dueDate: p.dueDate, amountDue: p.amountDue, amountPaid: p.amountPaid, balance: p.balance, interest: p.interest });
    }
    expect(statement.rows.find((r) => r.period === '2026-08')).toMatchObject({ amountPaid: 4_000_000, balance: 6_000_000 });
  });

  it('sums older settled periods into one line brought forward, and totals every period', () => {
    expect(statement.broughtForward).toEqual({ before: '2025-11', periods: 8, amountDue: 80_000_000, amountPaid: 80_000_000, balance: 0, interest: 0 });
    expect(statement.totals).toEqual({ amountDue: status.totalDue, amountPaid: 174_000_000, balance: 26_000_000, interest: status.interestAccrued });
    expect(statement.totals.balance).toBe(status.overduePrincipal + status.notYetDue);
  });

  it('states the deadline of the cycle and the date the debt is asked for', () => {
    // Cycle 2026-11: period 2026-10 falls due on 2026-11-30 (the month after), still 10 M to pay.
    expect(statement.deadline).toEqual({ period: '2026-10', date: '2026-11-30', balance: 10_000_000 });
    expect(statement.payBy).toBe('2026-11-17');
    expect(statement.debt).toBe(status.debt);
    expect(statementDate('2026-11', policy)).toBe('2026-11-02');
  });

  it('keeps an old period still owing in detail', () => {
    // Payments settle the oldest late period first: a unit that stopped paying after 2025-03 owes from 2025-04.
    const stopped = ledgerStatus(periods, payments.filter((p) => p.reference === 'UNC-2025-03'), '2026-11-02', policy);
    const s = buildStatement('TA0012345', stopped, '2026-11', policy);
    expect(s.rows[0]!.period).toBe('2025-04');
    expect(s.rows).toHaveLength(19);
    expect(s.broughtForward).toMatchObject({ before: '2025-04', periods: 1, balance: 0 });
  });

  it('totals equal the sum of the rows and the line brought forward, whatever the ledger (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ amountDue: fc.integer({ min: 0, max: 500_000_000 }), paid: fc.nat({ max: 3 }) }), { minLength: 0, maxLength: 30 }),
      fc.integer({ min: 1, max: 24 }),
      (ps, months) => {
        const ledger = ps.map((p, i) => ({ period: addMonths('2024-01', i), amountDue: p.amountDue, dueDate: deadlineOf(addMonths('2024-01', i), policy) }));
        const pays = ps.flatMap((p, i) => (p.paid === 0 || p.amountDue === 0 ? [] : [{ reference: `P${i}`, paidOn: ledger[i]!.dueDate, amount: Math.ceil(p.amountDue / p.paid) }]));
        const st = ledgerStatus(ledger, pays, '2026-11-02', policy);
        const s = buildStatement('TA0012345', st, '2026-11', { ...policy, statement: { ...policy.statement, months } });
        const parts = [...(s.broughtForward ? [s.broughtForward] : []), ...s.rows];
        for (const k of ['amountDue', 'amountPaid', 'balance', 'interest'] as const) {
          expect(parts.reduce((sum, r) => sum + r[k], 0)).toBe(s.totals[k]);
        }
        expect(s.totals.amountDue).toBe(st.totalDue);
        expect(s.totals.interest).toBe(st.interestAccrued);
        expect(s.totals.balance).toBe(st.overduePrincipal + st.notYetDue);
        expect(s.broughtForward?.balance ?? 0).toBe(0);
        expect(s.rows.length + (s.broughtForward?.periods ?? 0)).toBe(ledger.length);
      },
    ));
  });
});

describe('statement document', () => {
  it('fills the Vietnamese template: amounts per period, totals, the deadline, nothing left unfilled', () => {
    const doc = renderStatement(recipient, statement, policy, letterOf('statement', 'TA0012345'));
    expect(doc.subject).toBe('Thông báo kết quả đóng BHXH, BHYT, BHTN tháng 11/2026 – đơn vị TA0012345');
    expect(doc.columns).toEqual(['Kỳ', 'Hạn đóng', 'Phải đóng', 'Đã đóng', 'Còn nợ chuyển kỳ sau', 'Lãi chậm đóng']);
    expect(doc.rows[0]).toEqual(['Các kỳ trước 11/2025', '', '80.000.000 ₫', '80.000.000 ₫', '0 ₫', '0 ₫']);
    expect(doc.rows).toContainEqual(['08/2026', '30/09/2026', '10.000.000 ₫', '4.000.000 ₫', '6.000.000 ₫', formatVnd(statement.rows.find((r) => r.period === '2026-08')!.interest)]);
    expect(doc.total.slice(0, 5)).toEqual(['Cộng', '', '200.000.000 ₫', '174.000.000 ₫', '26.000.000 ₫']);
    expect(doc.summary).toContainEqual({ label: 'Tổng số tiền nợ phải nộp ngay', value: formatVnd(status.debt) });
    expect(doc.summary).toContainEqual({ label: 'Hạn đóng kỳ 10/2026', value: '30/11/2026 (còn phải đóng 10.000.000 ₫)' });
    expect(doc.summary).toContainEqual({ label: 'Đề nghị nộp số nợ chậm nhất ngày', value: '17/11/2026' });
    expect(doc.summary.map((s) => s.label)).not.toContain('Số tiền nộp thừa chuyển kỳ sau');
    expect(doc.fileName).toBe('thong-bao-ket-qua-dong-2026-11-ta0012345.pdf');
    // Filled, but for the page label (its page and page count are the PDF's to fill).
    expect(JSON.stringify({ ...doc, letter: { ...doc.letter, pageLabel: '' } })).not.toMatch(/\{\{/);
    expect(doc.letter.pageLabel).toBe('Trang {{page}}/{{pages}}');
  });

  it('has an English variant from the same policy, and leaves out the debt line for a unit that owes nothing', () => {
    // Paid on time, and 2026-10 paid ahead with 20,000 more than due.
    const paidUp = ledgerStatus(periods, [
      ...periods.filter((p) => p.period < '2026-10').map((p) => ({ reference: `X-${p.period}`, paidOn: p.dueDate, amount: p.amountDue })),
      { reference: 'ADV-2026-10', paidOn: '2026-11-01', amount: 10_020_000 },
    ], '2026-11-02', policy);
    const doc = renderStatement({ ...recipient, locale: 'en' }, buildStatement('TA0012345', paidUp, '2026-11', policy), policy, letterOf('statement', 'TA0012345'));
    expect(doc.subject).toBe('Contribution statement, November 2026 – unit TA0012345');
    expect(doc.columns[4]).toBe('Balance carried');
    expect(doc.summary.map((s) => s.label)).not.toContain('Please pay the debt by (at the latest)');
    expect(doc.summary).toContainEqual({ label: 'Overpayment carried forward', value: '20.000 ₫' });
  });

  it('renders the same document as text', () => {
    const doc = renderStatement(recipient, statement, policy, letterOf('statement', 'TA0012345'));
    const text = statementText(doc);
    expect(text).toContain('- 08/2026 (Hạn đóng 30/09/2026): Phải đóng 10.000.000 ₫, Đã đóng 4.000.000 ₫, Còn nợ chuyển kỳ sau 6.000.000 ₫');
    expect(text).toContain(`Tổng số tiền nợ phải nộp ngay: ${formatVnd(status.debt)}`);
  });

  it('refuses a policy whose statement would go out before the monthly run', () => {
    const early = { ...policy, statement: { ...policy.statement, dayOfMonth: policy.monthlyRun.dayOfMonth, hour: policy.monthlyRun.hour } };
    expect(policySchema.safeParse(early).success).toBe(false);
  });
});
