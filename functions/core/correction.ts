/**
 * A correction from the agency's core collection system: a row of payments.csv or
 * contribution-periods.csv marked `correction = true` replaces what is stored under its key (a
 * payment's amount or date, a period's amount due or due date). Corrections arrive in a later
 * increment than the row they correct, so they are told apart from a repeated key (refused within
 * a file) by the flag, never guessed from a difference: an unmarked row is written as ever.
 *
 * The ledger is derived from periods and payments on every read (ledger.ts), so what a correction
 * does downstream needs no repair: the next run sees the corrected figures.
 */

/** The figures a correction may change, as stored and as the row gives them (money integer VND). */
export interface Figures {
  amount: number;
  /** A payment's date, a period's due date (ISO). */
  date: string;
}

export type CorrectionOutcome =
  /** An unmarked row: written as every row is. */
  | { kind: 'write' }
  /** Marked, and the figures differ: written, counted and reported as corrected. */
  | { kind: 'corrected'; amountChange: number }
  /** Marked, and the store already holds these figures (the same correction again): nothing changes. */
  | { kind: 'unchanged' }
  /** Marked, but there is nothing under its key to correct: refused, so a mistyped key is not taken for a new row. */
  | { kind: 'refused'; reason: string };

export function correctionOutcome(marked: boolean, stored: Figures | undefined, incoming: Figures): CorrectionOutcome {
  if (!marked) return { kind: 'write' };
  if (!stored) return { kind: 'refused', reason: 'correction = true but nothing is recorded under this key to correct; not loaded' };
  if (stored.amount === incoming.amount && stored.date === incoming.date) return { kind: 'unchanged' };
  return { kind: 'corrected', amountChange: incoming.amount - stored.amount };
}
