import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addMonths, lastDayOfPeriod } from '../../functions/core/dates.ts';
import { ledgerStatus } from '../../functions/core/ledger.ts';
import { deadlineOf, policyFor } from '../../functions/core/policy.ts';
import { reconcile } from '../../functions/core/reconciliation.ts';
import { asRegistration, chargedPeriods, closedBy, standingOf, statementDue, type UnitStanding } from '../../functions/core/unit-status.ts';

const policy = policyFor('2026-11-10');
const PERIODS = Array.from({ length: 12 }, (_, i) => addMonths('2025-11', i));
const periods = PERIODS.map((period) => ({ period, amountDue: 10_000_000, dueDate: deadlineOf(period, policy) }));
const day = fc.integer({ min: 0, max: 360 }).map((n) => new Date(Date.UTC(2025, 10, 1) + n * 86_400_000).toISOString().slice(0, 10));
const standing: fc.Arbitrary<UnitStanding | undefined> = fc.option(fc.record({ status: fc.constantFrom('suspended' as const, 'closed' as const), on: day }), { nil: undefined });
const paidThrough = fc.integer({ min: 0, max: 12 });
const paymentsThrough = (n: number) => PERIODS.slice(0, n).map((p) => ({ reference: `UNC-${p}`, paidOn: deadlineOf(p, policy), amount: 10_000_000 }));

describe('a unit that closes', () => {
  it('is charged no period after the month it closed in, and every period up to it; active or suspended, every period', () => {
    fc.assert(fc.property(standing, (s) => {
      const kept = chargedPeriods(periods, s);
      if (s?.status !== 'closed') expect(kept).toEqual(periods);
      else expect(kept).toEqual(periods.filter((p) => lastDayOfPeriod(p.period) < s.on || p.period === s.on.slice(0, 7)));
    }));
  });

  it('closing never raises what the unit owes; what it owed for the months it was open stays owed', () => {
    fc.assert(fc.property(standing, paidThrough, day, (s, n, asOf) => {
      const open = ledgerStatus(periods, paymentsThrough(n), asOf, policy);
      const closed = ledgerStatus(chargedPeriods(periods, s), paymentsThrough(n), asOf, policy);
      expect(closed.debt).toBeLessThanOrEqual(open.debt);
      // Nothing the unit owes for a month it was open in is forgiven.
      for (const p of closed.periods) expect(p.balance).toBe(open.periods.find((q) => q.period === p.period)!.balance);
    }));
  });

  it('gets no statement once closed if it owes nothing; one while it owes, or before it closed', () => {
    fc.assert(fc.property(standing, paidThrough, day, (s, n, today) => {
      const status = ledgerStatus(chargedPeriods(periods, s), paymentsThrough(n), today, policy);
      const owes = status.debt + status.notYetDue > 0;
      expect(statementDue(s, status, today)).toBe(!closedBy(s, today) || owes);
    }));
  });

  it('still owing once closed or suspended, is flagged by reconciliation\'s one closed-with-debt rule; owing nothing, not', () => {
    fc.assert(fc.property(standing, fc.integer({ min: 0, max: 50_000_000 }), (s, debt) => {
      const asOf = '2026-11-10';
      const result = reconcile({
        year: 2025, asOf, units: [{ unitCode: 'CLOS0001', taxCode: '2700123456', debt }], roster: [], taxOrganisations: [], taxEmployees: [],
        register: asRegistration('2700123456', s),
      }, policy);
      const flagged = s !== undefined && s.on <= asOf && debt > 0;
      expect(result.findings.map((f) => f.kind)).toEqual(flagged ? ['closed-with-debt'] : []);
    }));
  });

  it('reads its status: active or none is no standing; suspended or closed needs its date', () => {
    expect(standingOf(undefined, undefined)).toBeUndefined();
    expect(standingOf('active', '2026-08-15')).toBeUndefined();
    expect(standingOf('closed', '2026-08-15')).toEqual({ status: 'closed', on: '2026-08-15' });
    expect(closedBy({ status: 'suspended', on: '2026-08-15' }, '2026-12-01')).toBe(false);
  });
});
