import { describe, expect, it } from 'vitest';
import { ledgerStatus } from '../../functions/core/ledger.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { POLICY_VERSIONS, deadlineOf } from '../../functions/core/policy.ts';
import { buildStatement, renderStatement } from '../../functions/core/statement.ts';
import { statementHtml } from '../../functions/report/statement-html.ts';
import { letterOf } from '../support/letter.ts';

const policy = POLICY_VERSIONS.at(-1)!;
const recipient = { unitCode: 'TA0012345', name: 'Công ty <b>"A&B"</b>', taxCode: '2700123456', locale: 'vi' as const };
/** Twenty periods from 2025-03 to 2026-10, 10 M each; all paid on time except 2026-08 (in part) and 2026-09, 2026-10. */
const periods = Array.from({ length: 20 }, (_, i) => addMonths('2025-03', i)).map((period) => ({ period, amountDue: 10_000_000, dueDate: deadlineOf(period, policy) }));
const payments = periods
  .filter((p) => p.period < '2026-08')
  .map((p) => ({ reference: `UNC-${p.period}`, paidOn: p.dueDate, amount: p.amountDue }))
  .concat([{ reference: 'UNC-2026-08', paidOn: '2026-09-30', amount: 4_000_000 }]);
const statement = buildStatement('TA0012345', ledgerStatus(periods, payments, '2026-11-02', policy), '2026-11', policy);

describe('statement HTML', () => {
  it('renders the statement document as one self-contained page, every value escaped', () => {
    const doc = renderStatement(recipient, statement, policy, letterOf('statement', 'TA0012345'));
    const page = statementHtml(doc);
    expect(page).toContain('Kính gửi: Công ty &lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;');
    expect(page).not.toContain('<b>');
    expect(page).not.toMatch(/<script|<link|src=|url\(/i);
    for (const cell of doc.rows.flat()) expect(page).toContain(cell.replace(/&/g, '&amp;'));
    expect(page).toContain('<html lang="vi">');
  });
});
