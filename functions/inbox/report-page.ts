import { html } from '../commons/html.ts';
import type { DocumentStore } from '../commons/documents.ts';
import type { CollectionReport } from '../core/collection-report.ts';
import type { IsoDate } from '../core/dates.ts';
import { reportScope, reportSections } from '../report/report-html.ts';
import { layout, type Viewer } from './pages.ts';
import { viDate } from './words.ts';

/**
 * The collection report inside the staff inbox (managers: core/staff-access.ts): the report of a
 * date read from its report.json under `reports/<date>/` (written by steps/collection-report.ts),
 * shown with the inbox's own layout and stylesheet (no chart, no inline style: the inbox's
 * Content-Security-Policy is `style-src 'self'`), with the earlier dates and the files to download.
 */

/** Where a report's files are, and which of them the inbox offers for download (what the report step writes). */
export const reportKey = (asOf: IsoDate, file: string) => `reports/${asOf}/${file}`;
export const REPORT_DOWNLOADS = {
  'collection.csv': { contentType: 'text/csv', text: 'Số liệu theo quận, huyện và xã, phường (CSV)' },
  'officers.csv': { contentType: 'text/csv', text: 'Số liệu theo cán bộ (CSV)' },
  'participants.csv': { contentType: 'text/csv', text: 'Gia hạn của người tham gia (CSV)' },
  'report.json': { contentType: 'application/json', text: 'Toàn bộ báo cáo (JSON)' },
} as const;
export type ReportDownload = keyof typeof REPORT_DOWNLOADS;
export const isReportDownload = (file: string): file is ReportDownload => Object.hasOwn(REPORT_DOWNLOADS, file);

const REPORT_JSON = /^reports\/(\d{4}-\d{2}-\d{2})\/report\.json$/;

/** The dates a report was written for, the latest first. */
export async function reportDates(documents: DocumentStore): Promise<IsoDate[]> {
  const dates = (await documents.list('reports/')).flatMap((key) => REPORT_JSON.exec(key)?.[1] ?? []);
  return [...new Set(dates)].sort().reverse();
}

/** The report of a date, or undefined when none was written. */
export async function loadReport(documents: DocumentStore, asOf: IsoDate): Promise<CollectionReport | undefined> {
  const text = await documents.get(reportKey(asOf, 'report.json'));
  return text === undefined ? undefined : (JSON.parse(text) as CollectionReport);
}

export interface ReportPageData {
  report: CollectionReport | undefined;
  dates: IsoDate[];
  /** Which files of the report's folder are there (participants.csv only with participants). */
  files: ReportDownload[];
}

const reportHref = (asOf: IsoDate) => `/inbox/report/${encodeURIComponent(asOf)}`;

export function reportPage(viewer: Viewer, data: ReportPageData): string {
  const { report, dates } = data;
  const title = report ? `Báo cáo thu nợ đến ngày ${viDate(report.asOf)}` : 'Báo cáo thu nợ';
  if (!report) {
    return layout(title, viewer, html`<h1>${title} <span lang="en" class="en">(collection report)</span></h1>
<p>Chưa có báo cáo nào: báo cáo được lập sau mỗi lần chạy hằng tháng. <span lang="en">(No report yet: one is written after each monthly run.)</span></p>`);
  }
  const earlier = dates.filter((d) => d !== report.asOf);
  return layout(title, viewer, html`
<h1>${title} <span lang="en" class="en">(collection report)</span></h1>
<div class="report">
${reportScope(report)}
<section aria-labelledby="downloads-title"><h2 id="downloads-title">Tải về <span lang="en" class="en">(downloads)</span></h2>
<ul>${data.files.map((f) => html`<li><a href="${reportHref(report.asOf)}/${f}" download>${REPORT_DOWNLOADS[f].text}: ${f}</a></li>`)}</ul></section>
${reportSections(report, { charts: false, headingLevel: 2 })}
${earlier.length ? html`<nav aria-label="Báo cáo các kỳ trước (earlier reports)"><h2>Báo cáo các kỳ trước <span lang="en" class="en">(earlier reports)</span></h2>
<ul>${earlier.map((d) => html`<li><a href="${reportHref(d)}"><time datetime="${d}">${viDate(d)}</time></a></li>`)}</ul></nav>` : ''}
</div>`);
}
