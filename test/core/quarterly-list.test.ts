import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays } from '../../functions/core/dates.ts';
import { ledgerStatus } from '../../functions/core/ledger.ts';
import { POLICY_VERSIONS, deadlineOf } from '../../functions/core/policy.ts';
import {
  classifyArrears, previousQuarter, quarterEnd, quarterOf, quarterlyListKey, renderQuarterlyCsv, type QuarterlyEntry,
} from '../../functions/core/quarterly-list.ts';
import { parseCsv } from '../../functions/core/report-csv.ts';
import { QUARTERLY_COLUMNS } from '../../functions/core/quarterly-list.ts';

const policy = POLICY_VERSIONS.at(-1)!;
const DEADLINE = deadlineOf('2026-08', policy); // 2026-09-30
const oneLatePeriod = (asOf: string, amountDue = 20_000_000) =>
  ledgerStatus([{ period: '2026-08', amountDue, dueDate: DEADLINE }], [], asOf, policy);

describe('late or evading', () => {
  it('is late from the day after the deadline, evading from the day after evasionAfterDays (60)', () => {
    expect(classifyArrears(oneLatePeriod(DEADLINE), policy).class).toBe('neither');
    expect(classifyArrears(oneLatePeriod(addDays(DEADLINE, 1)), policy).class).toBe('late');
    expect(classifyArrears(oneLatePeriod(addDays(DEADLINE, 60)), policy)).toMatchObject({ class: 'late', daysPastDeadline: 60, evadedPrincipal: 0 });
    expect(classifyArrears(oneLatePeriod(addDays(DEADLINE, 61)), policy)).toMatchObject({ class: 'evading', daysPastDeadline: 61, evadedPrincipal: 20_000_000 });
  });

  it('follows the days past the deadline at every distance from it', () => {
    fc.assert(fc.property(fc.integer({ min: -40, max: 400 }), fc.integer({ min: 1, max: 1e9 }), (k, amount) => {
      const c = classifyArrears(oneLatePeriod(addDays(DEADLINE, k), amount), policy);
      const expected = k <= 0 ? 'neither' : k <= policy.evasionAfterDays ? 'late' : 'evading';
      return c.class === expected && c.evadedPrincipal <= c.latePrincipal && c.daysPastDeadline === Math.max(0, k);
    }));
  });

  it('counts as evaded only the periods overdue for more than 60 days', () => {
    const periods = ['2026-07', '2026-08', '2026-09'].map((period) => ({ period, amountDue: 10_000_000, dueDate: deadlineOf(period, policy) }));
    const c = classifyArrears(ledgerStatus(periods, [], '2026-11-15', policy), policy);
    // Deadlines 08-31 (76 days), 09-30 (46 days), 10-31 (15 days).
    expect(c).toMatchObject({ class: 'evading', latePrincipal: 30_000_000, evadedPrincipal: 10_000_000, daysPastDeadline: 76, oldestUnpaidPeriod: '2026-07', monthsOverdue: 3 });
    expect(c.debt).toBe(c.latePrincipal + c.interest);
  });

  it('is neither when only interest is left, or nothing', () => {
    const paidLate = ledgerStatus([{ period: '2026-08', amountDue: 20_000_000, dueDate: DEADLINE }], [{ reference: 'R', paidOn: '2026-12-01', amount: 20_000_000 }], '2026-12-31', policy);
    expect(paidLate.interestOutstanding).toBeGreaterThan(0);
    expect(classifyArrears(paidLate, policy).class).toBe('neither');
    expect(classifyArrears(ledgerStatus([], [], '2026-12-31', policy), policy).class).toBe('neither');
  });

  it('does not call force majeure evasion; other holds are shown but change nothing', () => {
    const status = oneLatePeriod('2026-12-31');
    expect(classifyArrears(status, policy, { reason: 'force-majeure', until: '2027-01-31' })).toMatchObject({ class: 'late', hold: { reason: 'force-majeure' } });
    expect(classifyArrears(status, policy, { reason: 'dispute', until: '2027-01-31' })).toMatchObject({ class: 'evading', hold: { reason: 'dispute' } });
    expect(classifyArrears(status, policy, { reason: 'force-majeure', until: '2026-12-30' })).toMatchObject({ class: 'evading', hold: null });
  });
});

describe('quarters', () => {
  it('names the quarter, the one before, its last day and the object key', () => {
    expect(quarterOf('2026-11-02')).toBe('2026-Q4');
    expect(quarterOf('2027-01-01')).toBe('2027-Q1');
    expect(previousQuarter('2027-01-05')).toBe('2026-Q4');
    expect(previousQuarter('2026-07-05')).toBe('2026-Q2');
    expect(quarterEnd('2026-Q4')).toBe('2026-12-31');
    expect(quarterEnd('2024-Q1')).toBe('2024-03-31');
    expect(quarterEnd('2026-Q2')).toBe('2026-06-30');
    expect(quarterlyListKey('2026-Q4')).toBe('quarterly/2026-Q4/late-and-evading.csv');
  });
});

const entry = (unitCode: string, over: Partial<QuarterlyEntry> = {}): QuarterlyEntry => ({
  unitCode, name: `Công ty ${unitCode}`, taxCode: '2700123456', district: 'Tam Điệp', class: 'late', monthsOverdue: 2,
  latePrincipal: 40_000_000, evadedPrincipal: 0, interest: 360_000, debt: 40_360_000, oldestUnpaidPeriod: '2026-08', daysPastDeadline: 45, hold: null, ...over,
});

describe('quarterly CSV', () => {
  it('has a header row, the columns in a fixed order, CRLF and a byte order mark', () => {
    const csv = renderQuarterlyCsv([entry('TD000002'), entry('TD000001', { class: 'evading', evadedPrincipal: 20_000_000 })], policy);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe(QUARTERLY_COLUMNS.map((c) => c.vi).join(','));
    // Evading first, then by district and unit code.
    expect(lines[1]).toBe('TD000001,Công ty TD000001,2700123456,Tam Điệp,trốn đóng,2,40000000,20000000,360000,40360000,2026-08,45,');
    expect(lines[2]).toMatch(/^TD000002,.*,chậm đóng,/);
    expect(lines[3]).toBe('');
  });

  it('quotes names with commas, quotes and line breaks, neutralises formulas, and reads back the same', () => {
    const names = ['Công ty "Hoà Bình", chi nhánh 2', 'Dòng 1\nDòng 2', '=HYPERLINK("x")'];
    const csv = renderQuarterlyCsv(names.map((name, i) => entry(`TD00000${i}`, { name })), policy);
    const back = parseCsv(QUARTERLY_COLUMNS, csv);
    expect(back.map((r) => r.name)).toEqual([names[0], names[1], `'${names[2]}`]);
    expect(back[0]).toMatchObject({ unitCode: 'TD000000', debt: '40360000', hold: '' });
  });

  it('is the same bytes whatever order the units come in', () => {
    const entries = ['A1', 'B2', 'C3', 'D4', 'E5'].map((c, i) => entry(`TD0000${c}`, { district: i % 2 ? 'Nho Quan' : 'Tam Điệp', class: i % 3 ? 'late' : 'evading' }));
    const expected = renderQuarterlyCsv(entries, policy);
    fc.assert(fc.property(fc.shuffledSubarray(entries, { minLength: entries.length }), (shuffled) => renderQuarterlyCsv(shuffled, policy) === expected));
  });

  it('shows a hold in force with its reason and end date', () => {
    const csv = renderQuarterlyCsv([entry('TD000001', { hold: { reason: 'force-majeure', until: '2027-01-31' } })], policy);
    expect(parseCsv(QUARTERLY_COLUMNS, csv)[0]!.hold).toBe('bất khả kháng (đến 2027-01-31)');
  });
});
