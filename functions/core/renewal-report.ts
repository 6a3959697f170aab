import type { IsoDate, Period } from './dates.ts';
import { renderCsv, type ReportColumn } from './report-csv.ts';
import { estimatedCost, type ChannelCost, type ChannelCounts } from './channel-choice.ts';
import type { ChannelsPolicy } from './policy/channels-schema.ts';

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
  /** The cycle's reminders by the channel that delivered them (absent: none). */
  smsSent?: number | undefined;
  znsSent?: number | undefined;
  emailsSent?: number | undefined;
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
  /** Reminders sent to these cycles by each channel, and their estimated cost in dong (count × the policy's price). */
  smsSent: number;
  znsSent: number;
  emailsSent: number;
  costVnd: number;
}

export interface RenewalReport {
  month: Period;
  asOf: IsoDate;
  rows: RenewalRow[];
  total: RenewalRow;
  /** Every reminder sent to the month's cycles, by channel, and the estimated cost (reminder SMS are one segment). */
  messages: ChannelCounts;
  costVnd: ChannelCost;
}

type Prices = ChannelsPolicy['priceVnd'];
const messagesOf = (facts: readonly CycleFact[]): ChannelCounts => ({
  sms: facts.reduce((n, f) => n + (f.smsSent ?? 0), 0),
  zns: facts.reduce((n, f) => n + (f.znsSent ?? 0), 0),
  email: facts.reduce((n, f) => n + (f.emailsSent ?? 0), 0),
});

const rate = (renewed: number, due: number) => (due === 0 ? 0 : Math.round((renewed * 1000) / due) / 10);

function row(commune: string, agentId: string, facts: readonly CycleFact[], asOf: IsoDate, target: number | undefined, prices: Prices | undefined): RenewalRow {
  const messages = messagesOf(facts);
  const renewed = facts.filter((f) => f.status === 'renewed').length;
  const lapsed = facts.filter((f) => f.status === 'open' && f.coveredUntil < asOf).length;
  const renewalRatePercent = rate(renewed, facts.length);
  return {
    commune, agentId, due: facts.length, reminded: facts.filter((f) => f.remindersSent > 0).length, renewed, lapsed,
    pending: facts.length - renewed - lapsed, renewalRatePercent,
    targetPercent: target ?? null, gapPoints: target === undefined ? null : Math.round((renewalRatePercent - target) * 10) / 10,
    smsSent: messages.sms, znsSent: messages.zns, emailsSent: messages.email, costVnd: prices ? estimatedCost(messages, prices).total : 0,
  };
}

/** `prices`: the policy's price of a message on each channel (without them the costs are 0). */
export function tallyRenewals(month: Period, facts: readonly CycleFact[], targets: readonly TargetFact[], asOf: IsoDate, prices?: Prices): RenewalReport {
  const communeTarget = (c: string) => targets.find((t) => t.commune === c && t.agentId === undefined)?.targetRenewalPercent;
  const agentTarget = (c: string, a: string) => targets.find((t) => t.commune === c && t.agentId === a)?.targetRenewalPercent ?? communeTarget(c);
  const rows: RenewalRow[] = [];
  const communes = [...new Set(facts.map((f) => f.commune))].sort((a, b) => a.localeCompare(b, 'vi'));
  for (const commune of communes) {
    const inCommune = facts.filter((f) => f.commune === commune);
    for (const agentId of [...new Set(inCommune.map((f) => f.agentId))].sort()) {
      rows.push(row(commune, agentId, inCommune.filter((f) => f.agentId === agentId), asOf, agentTarget(commune, agentId), prices));
    }
    rows.push(row(commune, '*', inCommune, asOf, communeTarget(commune), prices));
  }
  const messages = messagesOf(facts);
  const costVnd = prices ? estimatedCost(messages, prices) : { sms: 0, zns: 0, email: 0, total: 0 };
  return { month, asOf, rows, total: row('*', '*', facts, asOf, undefined, prices), messages, costVnd };
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
  { key: 'smsSent', vi: 'Tin SMS', en: 'SMS sent' },
  { key: 'znsSent', vi: 'Tin Zalo ZNS', en: 'Zalo ZNS sent' },
  { key: 'emailsSent', vi: 'Email', en: 'Emails sent' },
  { key: 'costVnd', vi: 'Chi phí ước tính (đồng)', en: 'Estimated cost (VND)' },
];

export function renderRenewalCsv(report: RenewalReport, locale: 'vi' | 'en'): string {
  const cells = [...report.rows, report.total].map((r) => ({ ...r, targetPercent: r.targetPercent ?? '', gapPoints: r.gapPoints ?? '' }));
  return renderCsv(COLUMNS, cells as Record<keyof RenewalRow, string | number>[], locale);
}
