import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays } from '../../functions/core/dates.ts';
import { ledgerStatus, type LedgerStatus } from '../../functions/core/ledger.ts';
import { POLICY_VERSIONS, deadlineOf } from '../../functions/core/policy.ts';
import {
  aboveDisclosureThresholds, decideDisclosure, disclosureListKey, parseDisclosureCsv, renderDisclosureCsv, DISCLOSURE_COLUMNS, type PreDisclosureState,
} from '../../functions/core/disclosure.ts';
import { renderPreDisclosureNotice } from '../../functions/core/notice.ts';
import { HOLD_REASONS } from '../../functions/core/policy.ts';
import { letterOf } from '../support/letter.ts';

const policy = POLICY_VERSIONS.at(-1)!;
const { minMonthsOverdue, minDebt, responseDays } = policy.disclosure;
const TODAY = '2026-12-10';
const base = ledgerStatus([], [], TODAY, policy);
const statusOf = (monthsOverdue: number, debt: number): LedgerStatus => ({ ...base, monthsOverdue, debt, overduePrincipal: debt });
const above = statusOf(minMonthsOverdue, minDebt);
const sentOn = (date: string): PreDisclosureState => ({ status: 'sent', sentOn: date, payBy: addDays(date, responseDays) });

describe('disclosure thresholds', () => {
  it('needs both the months overdue and the debt of the policy, at or above each', () => {
    fc.assert(fc.property(fc.nat(24), fc.nat(3 * minDebt), (months, debt) =>
      aboveDisclosureThresholds(statusOf(months, debt), policy) === (months >= minMonthsOverdue && debt >= minDebt)));
    expect(aboveDisclosureThresholds(statusOf(minMonthsOverdue, minDebt - 1), policy)).toBe(false);
    expect(aboveDisclosureThresholds(statusOf(minMonthsOverdue - 1, minDebt * 10), policy)).toBe(false);
  });

  it('sends nothing and publishes nothing below them', () => {
    fc.assert(fc.property(fc.nat(24), fc.nat(3 * minDebt), fc.integer({ min: -60, max: 60 }), (months, debt, offset) => {
      fc.pre(!(months >= minMonthsOverdue && debt >= minDebt));
      const d = decideDisclosure(statusOf(months, debt), sentOn(addDays(TODAY, offset)), undefined, TODAY, policy);
      return d.action === 'lapse-notice';
    }));
    expect(decideDisclosure(statusOf(1, 1), undefined, undefined, TODAY, policy)).toEqual({ action: 'none', reason: 'below-thresholds' });
  });
});

describe('pre-disclosure notice and response window', () => {
  it('first sends the notice, with the date to pay by', () => {
    expect(decideDisclosure(above, undefined, undefined, TODAY, policy)).toEqual({ action: 'send-notice', payBy: addDays(TODAY, responseDays) });
    for (const status of ['failed', 'not-needed', 'held', 'lapsed', 'claimed'] as const) {
      expect(decideDisclosure(above, { status }, undefined, TODAY, policy).action).toBe('send-notice');
    }
  });

  it('waits through the last day of the window and publishes from the day after', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 120 }), (daysSince) => {
      const notice = sentOn(addDays(TODAY, -daysSince));
      const d = decideDisclosure(above, notice, undefined, TODAY, policy);
      return daysSince <= responseDays ? d.action === 'wait' && d.payBy === notice.payBy : d.action === 'publish' && d.noticeSentOn === notice.sentOn;
    }));
  });

  it('keeps the pay-by date the notice stated', () => {
    const notice: PreDisclosureState = { status: 'sent', sentOn: '2026-11-10', payBy: '2026-12-20' };
    expect(decideDisclosure(above, notice, undefined, TODAY, policy)).toEqual({ action: 'wait', payBy: '2026-12-20' });
  });

  it('a notice that lapsed after the run\'s date still stood on it: a run replayed for an earlier date sends no second notice', () => {
    const lapsedLater: PreDisclosureState = { ...sentOn(addDays(TODAY, -5)), status: 'lapsed', lapsedOn: addDays(TODAY, 20) };
    expect(decideDisclosure(above, lapsedLater, undefined, TODAY, policy)).toEqual({ action: 'wait', payBy: lapsedLater.payBy });
    // Lapsed before the run's date, it no longer stands: a unit above the thresholds again is notified again.
    const lapsedBefore: PreDisclosureState = { ...lapsedLater, lapsedOn: addDays(TODAY, -1) };
    expect(decideDisclosure(above, lapsedBefore, undefined, TODAY, policy)).toEqual({ action: 'send-notice', payBy: addDays(TODAY, responseDays) });
  });

  it('never publishes a unit that was not sent a notice', () => {
    const states = fc.option(fc.record({ status: fc.constantFrom('claimed', 'failed', 'not-needed', 'held', 'lapsed') as fc.Arbitrary<PreDisclosureState['status']>, sentOn: fc.constant('2026-01-01') }), { nil: undefined });
    fc.assert(fc.property(fc.nat(24), fc.nat(3 * minDebt), states, (months, debt, notice) =>
      decideDisclosure(statusOf(months, debt), notice, undefined, TODAY, policy).action !== 'publish'));
  });

  it('lets a notice lapse when the unit paid, so a relapse starts with a new notice', () => {
    expect(decideDisclosure(statusOf(0, 0), sentOn('2026-11-10'), undefined, TODAY, policy)).toEqual({ action: 'lapse-notice' });
  });

  it('pauses notice and publication while a hold is in force, and resumes after its end date', () => {
    fc.assert(fc.property(fc.constantFrom(...HOLD_REASONS), fc.integer({ min: -30, max: 30 }), fc.boolean(), (reason, untilOffset, notified) => {
      const hold = { reason, until: addDays(TODAY, untilOffset) };
      const d = decideDisclosure(above, notified ? sentOn('2026-10-10') : undefined, hold, TODAY, policy);
      if (untilOffset >= 0) return d.action === 'none' && d.reason === 'on-hold';
      return d.action === (notified ? 'publish' : 'send-notice');
    }));
  });
});

describe('published list', () => {
  const entries = [
    { unitCode: 'TD000002', name: 'Công ty TNHH "An Phú", Tam Điệp', taxCode: '2700000002', district: 'Tam Điệp', monthsOverdue: 4, debt: 81_000_000 },
    { unitCode: 'TD000001', name: 'HTX Hưng Thịnh', taxCode: '2700000001', district: 'Nho Quan', monthsOverdue: 3, debt: 55_000_000 },
  ];

  it('shows only unit code, name, tax code, district, months overdue and debt', () => {
    const csv = renderDisclosureCsv(entries.map((e) => ({ ...e, email: 'x@example.vn', phone: '0912345678' })), policy);
    expect(DISCLOSURE_COLUMNS.map((c) => c.key)).toEqual(['unitCode', 'name', 'taxCode', 'district', 'monthsOverdue', 'debt']);
    expect(csv).not.toMatch(/example\.vn|0912345678/);
    expect(csv.slice(1).split('\r\n').slice(0, 3)).toEqual([
      'Mã đơn vị,Tên đơn vị,Mã số thuế,Quận/huyện,Số tháng nợ,Số tiền nợ (đồng)',
      'TD000001,HTX Hưng Thịnh,2700000001,Nho Quan,3,55000000',
      'TD000002,"Công ty TNHH ""An Phú"", Tam Điệp",2700000002,Tam Điệp,4,81000000',
    ]);
  });

  it('reads back what it wrote', () => {
    expect(parseDisclosureCsv(renderDisclosureCsv(entries, policy))).toEqual([
      { unitCode: 'TD000001', monthsOverdue: 3, debt: 55_000_000 },
      { unitCode: 'TD000002', monthsOverdue: 4, debt: 81_000_000 },
    ]);
    expect(parseDisclosureCsv(renderDisclosureCsv([], policy))).toEqual([]);
    expect(disclosureListKey('2026-12-10')).toBe('disclosure/2026-12-10/list.csv');
  });
});

describe('pre-disclosure notice', () => {
  it('states the debt, the date to pay by and that the unit will be published otherwise', () => {
    const periods = ['2026-06', '2026-07', '2026-08'].map((period) => ({ period, amountDue: 20_000_000, dueDate: deadlineOf(period, policy) }));
    const status = ledgerStatus(periods, [], TODAY, policy);
    const recipient = { unitCode: 'TD000001', name: 'HTX Hưng Thịnh', taxCode: '2700000001', locale: 'vi' as const };
    const vi = renderPreDisclosureNotice(recipient, status, '2026-12-25', policy, letterOf('pre-disclosure', 'TD000001', '2026-12'));
    expect(vi.subject).toContain('TD000001');
    expect(vi.body).toContain('chậm nhất ngày 25/12/2026');
    expect(vi.body).not.toContain('trước hết ngày');
    expect(vi.body).toContain('công khai');
    expect(vi.body).toMatch(/Tổng số tiền phải nộp: [\d.]+ ₫/);
    const en = renderPreDisclosureNotice({ ...recipient, locale: 'en' }, status, '2026-12-25', policy, letterOf('pre-disclosure', 'TD000001', '2026-12'));
    expect(en.body).toContain('by 25/12/2026 at the latest');
    expect(en.body).toContain('will publish');
  });
});

describe('disclosure and promises or plans', () => {
  it('a unit keeping a promise or plan gets no notice and is not published; once it misses, disclosure goes on', () => {
    const kept = { state: 'kept', kind: 'plan', nextDueDate: '2026-12-20', paid: 1, total: 2 } as const;
    const missed = { state: 'missed', kind: 'plan', instalment: 1, dueDate: '2026-11-20', dueSoFar: 2, paid: 1 } as const;
    expect(decideDisclosure(above, undefined, undefined, TODAY, policy, kept)).toEqual({ action: 'none', reason: 'keeping-arrangement' });
    expect(decideDisclosure(above, sentOn('2026-11-10'), undefined, TODAY, policy, kept)).toEqual({ action: 'none', reason: 'keeping-arrangement' });
    expect(decideDisclosure(above, sentOn('2026-11-10'), undefined, TODAY, policy, missed)).toMatchObject({ action: 'publish' });
    expect(decideDisclosure(above, undefined, undefined, TODAY, policy, missed)).toMatchObject({ action: 'send-notice' });
  });
});
