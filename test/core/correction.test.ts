import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { correctionOutcome, type Figures } from '../../functions/core/correction.ts';

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
