import * as echarts from 'echarts';
import { html, trusted, type Html } from '../commons/html.ts';
import { formatVnd } from '../core/money.ts';
import { reportHeadline, type CollectionReport, type GroupReport, type OfficerReport } from '../core/collection-report.ts';
import type { RenewalReport, RenewalRow } from '../core/renewal-report.ts';
import { taxFindingsSection } from './tax-findings-files.ts';

/**
 * The collection report as one self-contained HTML page: figures in tables (the accessible source
 * of truth), and charts rendered here to inline SVG by ECharts' server-side renderer, so the page
 * needs no script, font or network to open, print or attach to an email.
 */

/** Rows one to a line, as the page has always been laid out. */
const lines = (rows: readonly Html[]): Html => trusted(rows.map((r) => r.text).join('\n'));

const pct = (value: number | null) => (value === null ? '–' : `${value.toLocaleString('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}%`);

/** ECharts' SVG, which escapes the labels it draws: markup of the renderer, passed through. */
function svgChart(option: echarts.EChartsCoreOption, width: number, height: number): Html {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, textStyle: { fontFamily: 'system-ui, sans-serif' }, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return trusted(svg);
}

function trendChart(report: CollectionReport): Html {
  const lines = [report.office, ...report.districts];
  return svgChart({
    tooltip: {},
    legend: { top: 0, data: lines.map((g) => g.district ?? 'Toàn văn phòng') },
    grid: { left: 50, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: report.office.trend.map((t) => t.cycle) },
    yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
    series: lines.map((g) => ({ name: g.district ?? 'Toàn văn phòng', type: 'line', data: g.trend.map((t) => t.debtRatioPercent) })),
  }, 760, 300);
}

function overdueChart(groups: readonly GroupReport[]): Html {
  const bands = ['1', '2', '3-5', '6+'] as const;
  return svgChart({
    legend: { top: 0 },
    grid: { left: 120, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: groups.map((g) => g.commune ?? g.district ?? '') },
    series: bands.map((b) => ({ name: `${b} tháng`, type: 'bar', stack: 'units', data: groups.map((g) => g.byMonthsOverdue[b]) })),
  }, 760, Math.max(200, 60 + groups.length * 26));
}

/** Each commune's renewal rate as a bar, its target as a marker beside it. */
function renewalChart(participants: RenewalReport): Html {
  const communes = participants.rows.filter((r) => r.agentId === '*');
  return svgChart({
    legend: { top: 0 },
    grid: { left: 120, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: communes.map((r) => r.commune) },
    series: [
      { name: 'Tỷ lệ gia hạn', type: 'bar', data: communes.map((r) => r.renewalRatePercent) },
      { name: 'Chỉ tiêu', type: 'scatter', symbol: 'diamond', data: communes.map((r) => r.targetPercent) },
    ],
  }, 760, Math.max(200, 60 + communes.length * 26));
}

/** The level of the report's section headings: h2 on its own page, h2 too inside the inbox (under the page's h1). */
type HeadingLevel = 2 | 3;
const heading = (level: HeadingLevel, text: string): Html => (level === 2 ? html`<h2>${text}</h2>` : html`<h3>${text}</h3>`);

/**
 * The wrapper of a table that may be wider than the screen: it scrolls on its own, and is a named,
 * focusable region so that a keyboard user can reach it and scroll it (axe: scrollable-region-focusable).
 * Each region's name is its own (landmark-unique).
 */
const scrollRegion = (label: string): Html => html`<div class="scroll" tabindex="0" role="region" aria-label="${label}, cuộn ngang (scrolls)">`;

const agentName = (r: RenewalRow) => (r.agentId === '*' ? (r.commune === '*' ? 'Toàn văn phòng' : 'Cả xã, phường') : r.agentId);
const gap = (v: number | null) => (v === null ? '–' : `${v > 0 ? '+' : ''}${v.toLocaleString('vi-VN', { maximumFractionDigits: 1 })}`);

function participantsSection(participants: RenewalReport | null, charts: boolean, h: HeadingLevel): Html | null {
  if (!participants) return null;
  const rows = lines([...participants.rows, participants.total].map((r) => html`<tr>
      <th scope="row">${r.commune === '*' ? 'Tổng' : r.commune}</th><td>${agentName(r)}</td>
      <td>${r.due}</td><td>${r.reminded}</td><td>${r.renewed}</td><td>${r.lapsed}</td><td>${r.pending}</td>
      <td>${pct(r.renewalRatePercent)}</td><td>${pct(r.targetPercent)}</td><td>${gap(r.gapPoints)}</td>
      <td>${r.smsSent}</td><td>${r.znsSent}</td><td>${r.emailsSent}</td><td>${r.costVnd.toLocaleString('vi-VN')}</td>
    </tr>`));
  const m = participants.messages;
  const c = participants.costVnd;
  return html`
${heading(h, 'Người tham gia BHXH tự nguyện, hộ gia đình tham gia BHYT')}
<p>Hết hạn đóng trong tháng ${participants.month}: đến hạn, đã nhắc, đã gia hạn, quá hạn chưa gia hạn đến ngày ${participants.asOf}; tỷ lệ gia hạn = đã gia hạn / đến hạn.</p>
${charts ? html`<figure role="img" aria-label="Biểu đồ tỷ lệ gia hạn và chỉ tiêu của từng xã phường; số liệu ở bảng dưới">
${renewalChart(participants)}
</figure>` : ''}
${scrollRegion('Bảng gia hạn của người tham gia')}<table><caption>Gia hạn theo xã, phường và nhân viên thu so với chỉ tiêu</caption>
<thead><tr><th scope="col">Xã, phường</th><th scope="col">Nhân viên thu</th><th scope="col">Đến hạn</th><th scope="col">Đã nhắc</th>
<th scope="col">Đã gia hạn</th><th scope="col">Quá hạn</th><th scope="col">Chưa đến hạn</th><th scope="col">Tỷ lệ gia hạn</th>
<th scope="col">Chỉ tiêu</th><th scope="col">Chênh lệch (điểm %)</th>
<th scope="col">Tin SMS</th><th scope="col">Tin Zalo ZNS</th><th scope="col">Email</th><th scope="col">Chi phí ước tính (đồng)</th></tr></thead>
<tbody>${rows}</tbody></table></div>
<p>Tin nhắc đã gửi: ${m.sms} SMS (${c.sms.toLocaleString('vi-VN')} đồng), ${m.zns} Zalo ZNS (${c.zns.toLocaleString('vi-VN')} đồng), ${m.email} email; chi phí ước tính ${c.total.toLocaleString('vi-VN')} đồng (số tin × đơn giá trong chính sách).</p>
`;
}

const met = (v: boolean | null) => (v === null ? '' : v ? ' (đạt)' : ' (chưa đạt)');

const money = (v: number | null) => (v === null ? '–' : formatVnd(v));

function groupRows(groups: readonly GroupReport[]): Html {
  return lines(groups.map((g) => html`<tr>
      <th scope="row">${g.commune ?? g.district ?? 'Toàn văn phòng'}</th>
      <td>${g.units}</td><td>${money(g.receivable)}</td><td>${money(g.collected)}</td><td>${money(g.arrears)}</td>
      <td>${pct(g.debtRatioPercent)}</td><td>${pct(g.target.maxDebtRatioPercent)}${met(g.target.debtRatioMet)}</td>
      <td>${money(g.collectedThisYear)}</td><td>${money(g.target.collectedTarget)}</td><td>${pct(g.target.collectedPercentOfPlan)}</td>
      <td>${g.byMonthsOverdue['1']} / ${g.byMonthsOverdue['2']} / ${g.byMonthsOverdue['3-5']} / ${g.byMonthsOverdue['6+']}</td>
      <td>${g.evading}</td><td>${g.casesByStage['urging-notice']} / ${g.casesByStage['officer-visit']} / ${g.casesByStage.inspection}</td>
    </tr>`));
}

const GROUP_HEAD = html`<tr>
  <th scope="col">Đơn vị hành chính</th><th scope="col">Số đơn vị</th><th scope="col">Phải thu (12 tháng)</th><th scope="col">Đã thu (12 tháng)</th>
  <th scope="col">Nợ chậm đóng</th><th scope="col">Tỷ lệ nợ</th><th scope="col">Chỉ tiêu tỷ lệ nợ tối đa</th>
  <th scope="col">Đã thu từ đầu năm</th><th scope="col">Kế hoạch thu năm</th><th scope="col">% kế hoạch</th>
  <th scope="col">Đơn vị nợ 1 / 2 / 3–5 / 6+ tháng</th><th scope="col">Trốn đóng</th><th scope="col">Hồ sơ: đôn đốc / làm việc / thanh tra</th>
</tr>`;

function officerRows(officers: readonly OfficerReport[]): Html {
  return lines(officers.map((o) => html`<tr>
      <th scope="row">${o.officerId}</th><td>${o.role}</td><td>${o.communes.join(', ') || '–'}</td>
      <td>${o.openTasks}</td><td>${o.overdueTasks}</td><td>${o.units}</td><td>${money(o.arrears)}</td><td>${pct(o.debtRatioPercent)}</td>
      <td>${money(o.collectedThisYear)}</td><td>${money(o.target.collectedTarget)}</td><td>${pct(o.target.collectedPercentOfPlan)}</td>
    </tr>`));
}

/** The headline figures: the debt ratio, the arrears, what is receivable, collected against the plan, evading units. */
export function headlineFigures(report: CollectionReport): { label: string; value: string }[] {
  const h = reportHeadline(report);
  return [
    { label: 'Tỷ lệ nợ', value: pct(h.debtRatioPercent) },
    { label: 'Nợ chậm đóng', value: money(h.arrears) },
    { label: 'Phải thu (12 tháng)', value: money(h.receivable) },
    { label: 'Đã thu từ đầu năm / kế hoạch năm', value: `${money(h.collectedThisYear)} / ${money(h.collectedTarget)}${h.collectedPercentOfPlan === null ? '' : ` (${pct(h.collectedPercentOfPlan)})`}` },
    { label: 'Đơn vị trốn đóng', value: String(h.evading) },
  ];
}

/**
 * The report's figures and tables (and, on its own page, its charts): the same markup in the
 * standalone page and inside the staff inbox, which shows no chart (the tables hold every figure,
 * and the charts' SVG carries inline styles the inbox's Content-Security-Policy does not allow).
 */
export function reportSections(report: CollectionReport, options: { charts: boolean; headingLevel: HeadingLevel }): Html {
  const o = report.office;
  const { charts } = options;
  const h = options.headingLevel;
  return html`<div class="figures" role="list">
${lines(headlineFigures(report).map((f) => html`  <div class="figure" role="listitem">${f.label}<strong>${f.value}</strong></div>`))}
</div>

${heading(h, `Tỷ lệ nợ qua ${o.trend.length} kỳ`)}
${charts ? html`<figure role="img" aria-label="Biểu đồ tỷ lệ nợ theo kỳ của văn phòng và từng quận huyện; số liệu ở bảng dưới">
${trendChart(report)}
</figure>` : ''}
${scrollRegion('Bảng tỷ lệ nợ theo kỳ')}<table>
<caption>Tỷ lệ nợ theo kỳ</caption>
<thead><tr><th scope="col">Kỳ</th>${o.trend.map((t) => html`<th scope="col">${t.cycle}</th>`)}</tr></thead>
<tbody>${lines([o, ...report.districts].map((g) => html`<tr><th scope="row">${g.district ?? 'Toàn văn phòng'}</th>${g.trend.map((t) => html`<td>${pct(t.debtRatioPercent)}</td>`)}</tr>`))}</tbody>
</table></div>

${heading(h, 'Theo quận, huyện')}
${scrollRegion('Bảng quận, huyện')}<table><caption>Quận, huyện so với chỉ tiêu</caption><thead>${GROUP_HEAD}</thead>
<tbody>${groupRows([o, ...report.districts])}</tbody></table></div>

${heading(h, 'Theo xã, phường')}
${charts ? html`<figure role="img" aria-label="Biểu đồ số đơn vị nợ theo số tháng của từng xã phường; số liệu ở bảng dưới">
${overdueChart(report.communes)}
</figure>` : ''}
${scrollRegion('Bảng xã, phường')}<table><caption>Xã, phường so với chỉ tiêu</caption><thead>${GROUP_HEAD}</thead>
<tbody>${groupRows(report.communes)}</tbody></table></div>

${heading(h, 'Cán bộ thu')}
${scrollRegion('Bảng cán bộ thu')}<table><caption>Nhiệm vụ và kết quả thu theo cán bộ (đơn vị thuộc xã, phường phụ trách)</caption>
<thead><tr><th scope="col">Cán bộ</th><th scope="col">Vai trò</th><th scope="col">Xã, phường phụ trách</th><th scope="col">Nhiệm vụ đang mở</th>
<th scope="col">Quá hạn</th><th scope="col">Số đơn vị</th><th scope="col">Nợ chậm đóng</th><th scope="col">Tỷ lệ nợ</th>
<th scope="col">Đã thu từ đầu năm</th><th scope="col">Kế hoạch thu năm</th><th scope="col">% kế hoạch</th></tr></thead>
<tbody>${officerRows(report.officers)}</tbody></table></div>
${taxFindingsSection(report.taxFindings, h)}${participantsSection(report.participants, charts, h)}`;
}

/** What the report covers: its date, the receivable window, the policy, how the ratio is counted. */
export function reportScope(report: CollectionReport): Html {
  return html`<p>Số liệu đến ngày <strong>${report.asOf}</strong>; phải thu và đã thu tính cho các kỳ có hạn đóng từ ${report.receivableFrom}; chính sách ${report.policyVersion}.
Tỷ lệ nợ = nợ chậm đóng / số phải thu.</p>`;
}

export function renderReportHtml(report: CollectionReport): string {
  return html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Báo cáo thu nợ đến ngày ${report.asOf}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 1rem auto; max-width: 80rem; padding: 0 1rem; color: #1a1a1a; }
  table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
  th, td { border: 1px solid #c8c8c8; padding: 0.3rem 0.5rem; text-align: right; }
  th[scope="row"], thead th { text-align: left; background: #f2f2f2; }
  caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
  .figures { display: flex; flex-wrap: wrap; gap: 1rem; }
  .figure { border: 1px solid #c8c8c8; padding: 0.5rem 1rem; min-width: 12rem; }
  .figure strong { display: block; font-size: 1.4rem; }
  .scroll { overflow-x: auto; }
  .scroll:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; }
  figure { margin: 0 0 1.5rem; } svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
<main>
<h1>Báo cáo thu, nợ BHXH, BHYT, BHTN</h1>
${reportScope(report)}
${reportSections(report, { charts: true, headingLevel: 2 })}
</main>
</body>
</html>
`.text;
}
