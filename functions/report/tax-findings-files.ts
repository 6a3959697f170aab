import { html, trusted, type Html } from '../commons/html.ts';
import { formatVnd } from '../core/money.ts';
import { PLACE_COLUMNS, renderCsv, type ReportColumn } from '../core/report-csv.ts';
import type { TaxFindingsGroup, TaxFindingsReport } from '../core/tax-findings-report.ts';

/**
 * The collection report's section on reconciliation with tax data (core/tax-findings-report.ts):
 * one table of the office, its districts and communes on the page (in a focusable scrolling region,
 * so a keyboard can scroll it), and the same rows as tax-findings.csv.
 */

const COLUMNS = [
  ...PLACE_COLUMNS,
  { key: 'findings', vi: 'Số phát hiện', en: 'Findings' },
  { key: 'organisationsFound', vi: 'Tổ chức chưa tham gia', en: 'Organisations found (no SI unit)' },
  { key: 'employeesNotCovered', vi: 'Người lao động chưa tham gia', en: 'Employees not covered' },
  { key: 'underDeclaredWage', vi: 'Đóng thấp hơn tiền lương', en: 'Wage under-declared' },
  { key: 'closedWithDebt', vi: 'Ngừng hoạt động còn nợ', en: 'Closed or suspended, owing' },
  { key: 'notPaid', vi: 'Ước tính số tiền chưa đóng (đồng)', en: 'Estimated contributions not paid (VND)' },
  { key: 'notPaidOpen', vi: 'Trong đó chưa xử lý xong (đồng)', en: 'Of which still open (VND)' },
  { key: 'registered', vi: 'Đã đăng ký tham gia', en: 'Closed: registered' },
  { key: 'wageCorrected', vi: 'Đã điều chỉnh tiền lương', en: 'Closed: wage corrected' },
  { key: 'explained', vi: 'Đã giải trình', en: 'Closed: explained' },
  { key: 'referred', vi: 'Chuyển thanh tra', en: 'Closed: referred to inspection' },
  { key: 'open', vi: 'Đang kiểm tra', en: 'Still open' },
  { key: 'registeredAfterCheck', vi: 'Người lao động đăng ký sau kiểm tra', en: 'Employees registered after a check' },
  { key: 'compulsoryParticipants', vi: 'Người tham gia bắt buộc', en: 'Compulsory participants' },
  { key: 'participantsTarget', vi: 'Kế hoạch người tham gia', en: 'Participants plan' },
  { key: 'participantsPercentOfPlan', vi: '% kế hoạch', en: '% of plan' },
] as const satisfies readonly ReportColumn<string>[];

const groupsOf = (r: TaxFindingsReport) => [r.office, ...r.districts, ...r.communes];

export function renderTaxFindingsCsv(report: TaxFindingsReport, locale: 'vi' | 'en'): string {
  const rows = groupsOf(report).map((g) => ({
    level: g.level, district: g.district ?? '', commune: g.commune ?? '', findings: g.findings, organisationsFound: g.organisationsFound,
    employeesNotCovered: g.employeesNotCovered, underDeclaredWage: g.underDeclaredWage, closedWithDebt: g.closedWithDebt, notPaid: g.notPaid,
    notPaidOpen: g.notPaidOpen, registered: g.closed.registered, wageCorrected: g.closed['wage-corrected'], explained: g.closed.explained,
    referred: g.closed['refer-to-inspection'], open: g.open, registeredAfterCheck: g.registeredAfterCheck, compulsoryParticipants: g.compulsoryParticipants,
    participantsTarget: g.participantsTarget ?? '', participantsPercentOfPlan: g.participantsPercentOfPlan ?? '',
  }));
  return renderCsv(COLUMNS, rows, locale);
}

const count = (n: number | null) => (n === null ? '–' : n.toLocaleString('vi-VN'));
const percent = (v: number | null) => (v === null ? '–' : `${v.toLocaleString('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`);
const place = (g: TaxFindingsGroup) => (g.level === 'office' ? 'Toàn văn phòng' : g.level === 'district' ? g.district! : `${g.district} – ${g.commune}`);

const TITLE = 'Đối chiếu dữ liệu thuế: người phải đóng mà chưa đóng';

export function taxFindingsSection(report: TaxFindingsReport | null, headingLevel: 2 | 3 = 2): Html | null {
  if (!report) return null;
  const o = report.office;
  const rows = trusted(groupsOf(report).map((g) => html`<tr>
      <th scope="row">${place(g)}</th><td>${g.organisationsFound}</td><td>${g.employeesNotCovered}</td><td>${g.underDeclaredWage}</td><td>${g.closedWithDebt}</td>
      <td>${formatVnd(g.notPaid)}</td><td>${formatVnd(g.notPaidOpen)}</td>
      <td>${g.closed.registered} / ${g.closed['wage-corrected']} / ${g.closed.explained} / ${g.closed['refer-to-inspection']}</td><td>${g.open}</td>
      <td>${g.registeredAfterCheck}</td><td>${count(g.compulsoryParticipants)}</td><td>${count(g.participantsTarget)}</td><td>${percent(g.participantsPercentOfPlan)}</td>
    </tr>`.text).join('\n'));
  const quarters = report.quarters.length > 1 ? `${report.quarters[0]}–${report.quarters.at(-1)}` : report.quarters[0];
  return html`
${headingLevel === 2 ? html`<h2>${TITLE}</h2>` : html`<h3>${TITLE}</h3>`}
<p>Phát hiện của các lần đối chiếu quý ${quarters} (mỗi phát hiện một lần, theo lần kiểm tra gần nhất) và kết quả kiểm tra;
người tham gia bắt buộc là người lao động có trong danh sách đơn vị tháng ${report.month}: <strong>${count(o.compulsoryParticipants)} người tham gia, ${percent(o.participantsPercentOfPlan)} kế hoạch</strong>.
Tổ chức chưa có mã đơn vị tính theo quận, huyện của dữ liệu thuế (xã, phường ${'(không rõ)'}).</p>
<div class="scroll" role="region" aria-label="Bảng đối chiếu dữ liệu thuế theo quận, huyện và xã, phường" tabindex="0"><table>
<caption>Phát hiện từ dữ liệu thuế, kết quả kiểm tra và người tham gia bắt buộc so với kế hoạch</caption>
<thead><tr><th scope="col">Đơn vị hành chính</th><th scope="col">Tổ chức chưa tham gia</th><th scope="col">Người lao động chưa tham gia</th>
<th scope="col">Đóng thấp hơn tiền lương</th><th scope="col">Ngừng hoạt động còn nợ</th><th scope="col">Ước tính số tiền chưa đóng</th>
<th scope="col">Trong đó chưa xử lý xong</th><th scope="col">Đã xử lý: đăng ký / điều chỉnh lương / giải trình / chuyển thanh tra</th>
<th scope="col">Đang kiểm tra</th><th scope="col">Người lao động đăng ký sau kiểm tra</th><th scope="col">Người tham gia bắt buộc</th>
<th scope="col">Kế hoạch</th><th scope="col">% kế hoạch</th></tr></thead>
<tbody>${rows}</tbody></table></div>
`;
}
