import type { IsoDate, Period } from './dates.ts';
import { renderCsv, type ReportColumn } from './report-csv.ts';

/**
 * The renewal report of a month: the participants and households whose cover ended in it (due),
 * how many were reminded, renewed and lapsed, per commune and collection agent, with the renewal
 * rate against the office's targets. Pure; counts only, no personal data.
 */

export interface CycleFact {
  kind: 'vsi' | 'hi';
  commune: string;
  agentId: string;
  coveredUntil: IsoDate;
  status: 'open' | 'renewed';
  remindersSent: number;
}

export interface TargetFact {
  commune: string;
  agentId?: string | undefined;
  targetRenewalPercent: number;
}

export interface RenewalRow {
  commune: string;
  /** `*` on a commune's total row. */
  agentId: string;
  due: number;
  reminded: number;
  renewed: number;
  /** Past the end of cover and not renewed (as of the report date). */
  lapsed: number;
  /** Not yet at the end of cover, not yet renewed. */
  pending: number;
  renewalRatePercent: number;
  targetPercent: number | null;
  /** Renewal rate minus target, percentage points. */
  gapPoints: number | null;
}

export interface RenewalReport {
  month: Period;
  asOf: IsoDate;
  rows: RenewalRow[];
  total: RenewalRow;
}

const rate = (renewed: number, due: number) => (due === 0 ? 0 : Math.round((renewed * 1000) / due) / 10);

function row(commune: string, agentId: string, facts: readonly CycleFact[], asOf: IsoDate, target: number | undefined): RenewalRow {
  const renewed = facts.filter((f) => f.status === 'renewed').length;
  const lapsed = facts.filter((f) => f.status === 'open' && f.coveredUntil < asOf).length;
  const renewalRatePercent = rate(renewed, facts.length);
  return {
    commune, agentId, due: facts.length, reminded: facts.filter((f) => f.remindersSent > 0).length, renewed, lapsed,
    pending: facts.length - renewed - lapsed, renewalRatePercent,
    targetPercent: target ?? null, gapPoints: target === undefined ? null : Math.round((renewalRatePercent - target) * 10) / 10,
  };
}

export function tallyRenewals(month: Period, facts: readonly CycleFact[], targets: readonly TargetFact[], asOf: IsoDate): RenewalReport {
  const communeTarget = (c: string) => targets.find((t) => t.commune === c && t.agentId === undefined)?.targetRenewalPercent;
  const agentTarget = (c: string, a: string) => targets.find((t) => t.commune === c && t.agentId === a)?.targetRenewalPercent ?? communeTarget(c);
  const rows: RenewalRow[] = [];
  const communes = [...new Set(facts.map((f) => f.commune))].sort((a, b) => a.localeCompare(b, 'vi'));
  for (const commune of communes) {
    const inCommune = facts.filter((f) => f.commune === commune);
    for (const agentId of [...new Set(inCommune.map((f) => f.agentId))].sort()) {
      rows.push(row(commune, agentId, inCommune.filter((f) => f.agentId === agentId), asOf, agentTarget(commune, agentId)));
    }
    rows.push(row(commune, '*', inCommune, asOf, communeTarget(commune)));
  }
  return { month, asOf, rows, total: row('*', '*', facts, asOf, undefined) };
}

const COLUMNS: readonly ReportColumn<keyof RenewalRow>[] = [
  { key: 'commune', vi: 'Xã/phường', en: 'Commune' },
  { key: 'agentId', vi: 'Nhân viên thu', en: 'Collection agent' },
  { key: 'due', vi: 'Đến hạn', en: 'Due' },
  { key: 'reminded', vi: 'Đã nhắc', en: 'Reminded' },
  { key: 'renewed', vi: 'Đã gia hạn', en: 'Renewed' },
  { key: 'lapsed', vi: 'Quá hạn', en: 'Lapsed' },
  { key: 'pending', vi: 'Chưa đến hạn', en: 'Pending' },
  { key: 'renewalRatePercent', vi: 'Tỷ lệ gia hạn (%)', en: 'Renewal rate (%)' },
  { key: 'targetPercent', vi: 'Chỉ tiêu (%)', en: 'Target (%)' },
  { key: 'gapPoints', vi: 'Chênh lệch (điểm %)', en: 'Gap (points)' },
];

export function renderRenewalCsv(report: RenewalReport, locale: 'vi' | 'en'): string {
  const cells = [...report.rows, report.total].map((r) => ({ ...r, targetPercent: r.targetPercent ?? '', gapPoints: r.gapPoints ?? '' }));
  return renderCsv(COLUMNS, cells as Record<keyof RenewalRow, string | number>[], locale);
}
