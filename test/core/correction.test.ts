import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { appliedFigures, correctionOutcome, counted, markingOf, type Figures } from '../../functions/core/correction.ts';
import { ledgerStatus } from '../../functions/core/ledger.ts';
import { deadlineOf, policyFor } from '../../functions/core/policy.ts';

const figures = fc.record({ amount: fc.integer({ min: 0, max: 10_000_000_000 }), date: fc.constantFrom('2026-10-05', '2026-10-31', '2026-11-30') });

describe('correctionOutcome', () => {
  it('an unmarked row is written as ever, whatever is stored', () => {
    fc.assert(fc.property(fc.option(figures, { nil: undefined }), figures, (stored, incoming) => {
      expect(correctionOutcome(false, stored, incoming)).toEqual({ kind: 'write' });
    }));
  });

  it('a marked row with nothing to correct is refused with a reason', () => {
    fc.assert(fc.property(figures, (incoming) => {
      expect(correctionOutcome(true, undefined, incoming).kind).toBe('refused');
    }));
  });

  it('corrected iff the figures differ; the change is exact; the same correction again changes nothing', () => {
    fc.assert(fc.property(figures, figures, (stored, incoming) => {
      const outcome = correctionOutcome(true, stored, incoming);
      const differs = stored.amount !== incoming.amount || stored.date !== incoming.date;
      expect(outcome.kind).toBe(differs ? 'corrected' : 'unchanged');
      if (outcome.kind === 'corrected') expect(stored.amount + outcome.amountChange).toBe(incoming.amount);
      // Applied, the store holds the incoming figures: importing the row again is unchanged.
      const applied: Figures = { ...incoming };
      expect(correctionOutcome(true, applied, incoming)).toEqual({ kind: 'unchanged' });
    }));
  });
});

describe('a payment reversed (correction = reversal)', () => {
  const reversedOf = (f: Figures): Figures => ({ ...f, reversed: true });

  it('reverses the payment on record with its figures, the amount leaving the ledger; again it is unchanged', () => {
    fc.assert(fc.property(figures, (stored) => {
      const outcome = correctionOutcome('reversal', stored, stored);
      expect(outcome).toEqual({ kind: 'reversed', amountChange: -counted(stored) });
      const applied = appliedFigures('reversal', stored);
      expect(counted(applied)).toBe(0);
      expect(correctionOutcome('reversal', applied, stored)).toEqual({ kind: 'unchanged' });
    }));
  });

  it('is refused when nothing is recorded, or the row\'s figures are not the recorded ones', () => {
    fc.assert(fc.property(figures, figures, (stored, incoming) => {
      expect(correctionOutcome('reversal', undefined, incoming).kind).toBe('refused');
      const same = stored.amount === incoming.amount && stored.date === incoming.date;
      expect(correctionOutcome('reversal', stored, incoming).kind).toBe(same ? 'reversed' : 'refused');
    }));
  });

  it('a correction of a reversed payment puts it back, counted again', () => {
    fc.assert(fc.property(figures, figures, (original, incoming) => {
      const outcome = correctionOutcome('correction', reversedOf(original), incoming);
      expect(outcome).toEqual({ kind: 'corrected', amountChange: incoming.amount });
    }));
  });

  it('reads the column: blank, false, true, reversal in any case; anything else is undefined', () => {
    expect([undefined, '', ' FALSE ', 'true', 'Reversal', 'REVERSAL'].map(markingOf)).toEqual(['none', 'none', 'none', 'correction', 'reversal', 'reversal']);
    expect(['yes', '1', 'reverse'].map(markingOf)).toEqual([undefined, undefined, undefined]);
  });
});

describe('what a reversal does to the derived ledger', () => {
  const policy = policyFor('2026-11-10');
  const PERIODS = ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09'];
  const periods = PERIODS.map((period) => ({ period, amountDue: 10_000_000, dueDate: deadlineOf(period, policy) }));
  const payment = fc.record({
    reference: fc.stringMatching(/^[A-Z]{4}$/),
    paidOn: fc.constantFrom('2026-06-30', '2026-07-15', '2026-08-31', '2026-10-01', '2026-11-05'),
    amount: fc.integer({ min: 1, max: 30_000_000 }),
  });

  it('the debt comes back: leaving a payment out never lowers the debt, and a payment that cleared it leaves arrears behind', () => {
    fc.assert(fc.property(fc.uniqueArray(payment, { minLength: 1, maxLength: 6, selector: (p) => p.reference }), fc.nat(), (payments, pick) => {
      const reversed = payments[pick % payments.length]!;
      const kept = payments.filter((p) => p !== reversed);
      const before = ledgerStatus(periods, payments, '2026-11-10', policy);
      const after = ledgerStatus(periods, kept, '2026-11-10', policy);
      expect(after.debt).toBeGreaterThanOrEqual(before.debt);
      expect(after.totalPaid).toBe(before.totalPaid - reversed.amount);
      // What the reversed payment had put on principal is owed again (interest aside, which only grows).
      expect(after.overduePrincipal + after.notYetDue).toBeGreaterThanOrEqual(before.overduePrincipal + before.notYetDue);
      expect(after.allocations.some((a) => a.reference === reversed.reference)).toBe(false);
    }));
  });
});
