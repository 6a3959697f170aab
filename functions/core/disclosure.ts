import type { ClaimStatus } from './claim-rule.ts';
import type { Hold } from './escalation.ts';
import type { ArrangementStanding } from './arrangement.ts';
import type { LedgerStatus, Vnd } from './ledger.ts';
import type { Policy } from './policy.ts';
import { addDays, type IsoDate } from './dates.ts';
import { parseCsv, renderCsv, type ReportColumn } from './report-csv.ts';
import { sortEntries, type UnitIdentity } from './quarterly-list.ts';

/**
 * Public disclosure of units in arrears (a measure the law names). A unit at or above both
 * thresholds of the policy (months overdue AND debt) first gets a pre-disclosure notice stating
 * its debt and the date to pay by; at the first disclosure run after that date, if it is still
 * above both and not on hold, it is published. A unit that paid drops off the next list, and its
 * notice lapses: falling behind again starts with a new notice.
 */

/** The unit's current pre-disclosure notice, as kept in the table. */
export interface PreDisclosureState {
  status: ClaimStatus;
  sentOn?: IsoDate | undefined;
  payBy?: IsoDate | undefined;
  /** When a sent notice stopped standing (the unit went below the thresholds). */
  lapsedOn?: IsoDate | undefined;
}

export type DisclosureDecision =
  | { action: 'none'; reason: 'below-thresholds' | 'on-hold' | 'keeping-arrangement' }
  /** Below the thresholds again after a notice: the notice no longer stands. */
  | { action: 'lapse-notice' }
  | { action: 'send-notice'; payBy: IsoDate }
  /** Notified; the response window is still open. */
  | { action: 'wait'; payBy: IsoDate }
  | { action: 'publish'; noticeSentOn: IsoDate; payBy: IsoDate };

export function aboveDisclosureThresholds(status: Pick<LedgerStatus, 'monthsOverdue' | 'debt'>, policy: Policy): boolean {
  return status.monthsOverdue >= policy.disclosure.minMonthsOverdue && status.debt >= policy.disclosure.minDebt;
}

/** The last day the pre-disclosure notice sent on `sentOn` gives the unit to pay. */
export function disclosurePayBy(sentOn: IsoDate, policy: Policy): IsoDate {
  return addDays(sentOn, policy.disclosure.responseDays);
}

/**
 * What the disclosure run on `today` does for one unit. The window is inclusive of its last day:
 * publication comes only on a later day. A hold in force pauses both notice and publication
 * (a notice already sent stands, and counts once the hold has ended); so does a promise to pay
 * or a payment plan while the unit keeps it.
 */
export function decideDisclosure(
  status: LedgerStatus, notice: PreDisclosureState | undefined, hold: Hold | undefined, today: IsoDate, policy: Policy,
  arrangement?: ArrangementStanding,
): DisclosureDecision {
  // A notice that lapsed after this run's date still stood on it (a run replayed for an earlier date decides as it did then).
  const standing = notice?.status === 'sent' || (notice?.status === 'lapsed' && notice.lapsedOn !== undefined && notice.lapsedOn > today);
  const sent = standing && notice?.sentOn && notice.payBy ? { sentOn: notice.sentOn, payBy: notice.payBy } : undefined;
  if (!aboveDisclosureThresholds(status, policy)) return sent ? { action: 'lapse-notice' } : { action: 'none', reason: 'below-thresholds' };
  if (hold && today <= hold.until) return { action: 'none', reason: 'on-hold' };
  if (arrangement?.state === 'kept') return { action: 'none', reason: 'keeping-arrangement' };
  if (!sent) return { action: 'send-notice', payBy: disclosurePayBy(today, policy) };
  // The pay-by date stated in the notice holds, whatever the policy says later.
  if (today <= sent.payBy) return { action: 'wait', payBy: sent.payBy };
  return { action: 'publish', noticeSentOn: sent.sentOn, payBy: sent.payBy };
}

/** One unit on the published list: its identity, months overdue and debt, and nothing else. */
export interface DisclosureEntry extends UnitIdentity {
  monthsOverdue: number;
  debt: Vnd;
}

const COLUMNS = [
  { key: 'unitCode', vi: 'Mã đơn vị', en: 'Unit code' },
  { key: 'name', vi: 'Tên đơn vị', en: 'Unit name' },
  { key: 'taxCode', vi: 'Mã số thuế', en: 'Tax code' },
  { key: 'district', vi: 'Quận/huyện', en: 'District' },
  { key: 'monthsOverdue', vi: 'Số tháng nợ', en: 'Months overdue' },
  { key: 'debt', vi: 'Số tiền nợ (đồng)', en: 'Debt (VND)' },
] as const satisfies readonly ReportColumn<string>[];
export type DisclosureColumn = (typeof COLUMNS)[number]['key'];
export const DISCLOSURE_COLUMNS: readonly ReportColumn<DisclosureColumn>[] = COLUMNS;

/** The published list, by district and unit code. */
export function renderDisclosureCsv(entries: readonly DisclosureEntry[], policy: Policy): string {
  const rows = sortEntries(entries.map((e) => ({ ...e, class: 'published' }))).map((e) => ({
    unitCode: e.unitCode, name: e.name, taxCode: e.taxCode, district: e.district, monthsOverdue: e.monthsOverdue, debt: e.debt,
  }));
  return renderCsv(DISCLOSURE_COLUMNS, rows, policy.locale);
}

/** Reads a published list back (a rerun completes the record of a list already published). */
export function parseDisclosureCsv(text: string): { unitCode: string; monthsOverdue: number; debt: Vnd }[] {
  return parseCsv(DISCLOSURE_COLUMNS, text).map((r) => ({ unitCode: r.unitCode, monthsOverdue: Number(r.monthsOverdue), debt: Number(r.debt) }));
}

export function disclosureListKey(date: IsoDate): string {
  return `disclosure/${date}/list.csv`;
}
