import { describe, expect, it } from 'vitest';
import { CollectionReportBuilder, type ReportUnit } from '../../functions/core/collection-report.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { POLICY_VERSIONS, deadlineOf } from '../../functions/core/policy.ts';
import { renderReportHtml } from '../../functions/report/report-html.ts';

const policy = POLICY_VERSIONS.at(-1)!;

function unit(unitCode: string, commune: string, district: string, behind: number): ReportUnit {
  const periods = Array.from({ length: 12 }, (_, i) => addMonths('2025-11', i)).map((period) => ({ period, amountDue: 10_000_000, dueDate: deadlineOf(period, policy) }));
  const payments = periods.slice(0, 12 - behind).map((p) => ({ reference: `R-${unitCode}-${p.period}`, paidOn: p.dueDate, amount: 10_000_000 }));
  return { unitCode, district, commune, periods, payments };
}

describe('report page', () => {
  it('escapes every name it shows (through the html template), in tables and charts', () => {
    const builder = new CollectionReportBuilder('2026-11-02', policy);
    builder.add(unit('A', 'Bắc <script>alert(1)</script>', 'Tam "Điệp" & co', 3));
    builder.add(unit('B', 'Nam Sơn', 'Nho Quan', 0));
    const page = renderReportHtml(builder.finish([], []));
    expect(page).not.toContain('<script>');
    expect(page).toContain('<th scope="row">Bắc &lt;script&gt;alert(1)&lt;/script&gt;</th>');
    expect(page).toContain('<th scope="row">Tam &quot;Điệp&quot; &amp; co</th>');
    expect(page.startsWith('<!doctype html>\n<html lang="vi">')).toBe(true);
  });
});
