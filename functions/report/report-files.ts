import { PLACE_COLUMNS, renderCsv, type ReportColumn } from '../core/report-csv.ts';
import type { CollectionReport } from '../core/collection-report.ts';
import type { Policy } from '../core/policy.ts';
import { renderRenewalCsv } from '../core/renewal-report.ts';
import { renderReportHtml } from './report-html.ts';
import { renderTaxFindingsCsv } from './tax-findings-files.ts';

/** The report's files: the HTML page, the same figures as CSV (groups, officers, findings from tax data, participants' renewals) and as JSON. */

const GROUP_COLUMNS = [
  ...PLACE_COLUMNS,
  { key: 'units', vi: 'Số đơn vị', en: 'Units' },
  { key: 'receivable', vi: 'Phải thu 12 tháng (đồng)', en: 'Receivable, 12 months (VND)' },
  { key: 'collected', vi: 'Đã thu 12 tháng (đồng)', en: 'Collected, 12 months (VND)' },
  { key: 'arrears', vi: 'Nợ chậm đóng (đồng)', en: 'Arrears (VND)' },
  { key: 'interest', vi: 'Lãi chậm đóng (đồng)', en: 'Late interest (VND)' },
  { key: 'debtRatioPercent', vi: 'Tỷ lệ nợ (%)', en: 'Debt ratio (%)' },
  { key: 'maxDebtRatioPercent', vi: 'Chỉ tiêu tỷ lệ nợ tối đa (%)', en: 'Debt ratio target (%)' },
  { key: 'collectedThisYear', vi: 'Đã thu từ đầu năm (đồng)', en: 'Collected this year (VND)' },
  { key: 'collectedTarget', vi: 'Kế hoạch thu năm (đồng)', en: 'Collection plan (VND)' },
  { key: 'collectedPercentOfPlan', vi: '% kế hoạch', en: '% of plan' },
  { key: 'overdue1', vi: 'Nợ 1 tháng', en: '1 month overdue' },
  { key: 'overdue2', vi: 'Nợ 2 tháng', en: '2 months overdue' },
  { key: 'overdue3to5', vi: 'Nợ 3–5 tháng', en: '3–5 months overdue' },
  { key: 'overdue6plus', vi: 'Nợ 6 tháng trở lên', en: '6+ months overdue' },
  { key: 'evading', vi: 'Trốn đóng', en: 'Evading' },
  { key: 'casesUrging', vi: 'Hồ sơ đôn đốc', en: 'Cases: urging' },
  { key: 'casesVisit', vi: 'Hồ sơ làm việc', en: 'Cases: visit' },
  { key: 'casesInspection', vi: 'Hồ sơ thanh tra', en: 'Cases: inspection' },
  { key: 'onHold', vi: 'Tạm dừng', en: 'On hold' },
] as const satisfies readonly ReportColumn<string>[];

const OFFICER_COLUMNS = [
  { key: 'officerId', vi: 'Cán bộ', en: 'Officer' },
  { key: 'role', vi: 'Vai trò', en: 'Role' },
  { key: 'district', vi: 'Quận/huyện', en: 'District' },
  { key: 'communes', vi: 'Xã/phường phụ trách', en: 'Communes' },
  { key: 'openTasks', vi: 'Nhiệm vụ đang mở', en: 'Open tasks' },
  { key: 'overdueTasks', vi: 'Quá hạn', en: 'Overdue tasks' },
  { key: 'units', vi: 'Số đơn vị', en: 'Units' },
  { key: 'arrears', vi: 'Nợ chậm đóng (đồng)', en: 'Arrears (VND)' },
  { key: 'debtRatioPercent', vi: 'Tỷ lệ nợ (%)', en: 'Debt ratio (%)' },
  { key: 'collectedThisYear', vi: 'Đã thu từ đầu năm (đồng)', en: 'Collected this year (VND)' },
  { key: 'collectedTarget', vi: 'Kế hoạch thu năm (đồng)', en: 'Collection plan (VND)' },
  { key: 'collectedPercentOfPlan', vi: '% kế hoạch', en: '% of plan' },
] as const satisfies readonly ReportColumn<string>[];

const blank = (v: number | null) => (v === null ? '' : v);

export interface ReportFile {
  name: string;
  contentType: string;
  body: string;
}

export function reportFiles(report: CollectionReport, policy: Policy): ReportFile[] {
  const groups = [report.office, ...report.districts, ...report.communes].map((g) => ({
    level: g.level, district: g.district ?? '', commune: g.commune ?? '', units: g.units, receivable: g.receivable, collected: g.collected,
    arrears: g.arrears, interest: g.interest, debtRatioPercent: g.debtRatioPercent, maxDebtRatioPercent: blank(g.target.maxDebtRatioPercent),
    collectedThisYear: g.collectedThisYear, collectedTarget: blank(g.target.collectedTarget), collectedPercentOfPlan: blank(g.target.collectedPercentOfPlan),
    overdue1: g.byMonthsOverdue['1'], overdue2: g.byMonthsOverdue['2'], overdue3to5: g.byMonthsOverdue['3-5'], overdue6plus: g.byMonthsOverdue['6+'],
    evading: g.evading, casesUrging: g.casesByStage['urging-notice'], casesVisit: g.casesByStage['officer-visit'], casesInspection: g.casesByStage.inspection,
    onHold: g.onHold,
  }));
  const officers = report.officers.map((o) => ({
    officerId: o.officerId, role: o.role, district: o.district, communes: o.communes.join('; '), openTasks: o.openTasks, overdueTasks: o.overdueTasks,
    units: o.units, arrears: o.arrears, debtRatioPercent: o.debtRatioPercent, collectedThisYear: o.collectedThisYear,
    collectedTarget: blank(o.target.collectedTarget), collectedPercentOfPlan: blank(o.target.collectedPercentOfPlan),
  }));
  return [
    { name: 'index.html', contentType: 'text/html; charset=utf-8', body: renderReportHtml(report) },
    { name: 'collection.csv', contentType: 'text/csv; charset=utf-8', body: renderCsv(GROUP_COLUMNS, groups, policy.locale) },
    { name: 'officers.csv', contentType: 'text/csv; charset=utf-8', body: renderCsv(OFFICER_COLUMNS, officers, policy.locale) },
    ...(report.taxFindings ? [{ name: 'tax-findings.csv', contentType: 'text/csv; charset=utf-8', body: renderTaxFindingsCsv(report.taxFindings, policy.locale) }] : []),
    ...(report.participants ? [{ name: 'participants.csv', contentType: 'text/csv; charset=utf-8', body: renderRenewalCsv(report.participants, policy.locale) }] : []),
    { name: 'report.json', contentType: 'application/json', body: `${JSON.stringify(report, null, 2)}\n` },
  ];
}
