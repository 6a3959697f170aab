/**
 * A correction from the agency's core collection system: a row of payments.csv or
 * contribution-periods.csv marked `correction = true` replaces what is stored under its key (a
 * payment's amount or date, a period's amount due or due date). Corrections arrive in a later
 * increment than the row they correct, so they are told apart from a repeated key (refused within
 * a file) by the flag, never guessed from a difference: an unmarked row is written as ever.
 *
 * A payment the bank reversed (a bounced transfer) is marked `correction = reversal` on a row of
 * payments.csv naming it by its key and repeating its date and amount: the payment stays on record
 * (with the reversal's provenance) but is no payment any more: the ledger leaves it out as if it had
 * never been made (interest runs from the deadline as ever). A reversal of figures other than the
 * recorded ones is refused (correct the payment first), so a mistyped reference reverses nothing.
 * A correction (`true`) of a reversed payment puts it back: the reversal was a mistake.
 *
 * The ledger is derived from periods and payments on every read (ledger.ts), so what a correction
 * does downstream needs no repair: the next run sees the corrected figures.
 */

/** The figures a correction may change, as stored and as the row gives them (money integer VND). */
export interface Figures {
  amount: number;
  /** A payment's date, a period's due date (ISO). */
  date: string;
  /** A payment reversed: on record, not counted. */
  reversed?: boolean | undefined;
}

/** What the `correction` column says: blank or false, `true`, `reversal`. */
export type Marking = 'none' | 'correction' | 'reversal';

export type CorrectionOutcome =
  /** An unmarked row: written as every row is. */
  | { kind: 'write' }
  /** Marked, and the figures differ: written, counted and reported as corrected. */
  | { kind: 'corrected'; amountChange: number }
  /** A reversal of the payment on record: written as reversed, counted and reported; the amount leaves the ledger. */
  | { kind: 'reversed'; amountChange: number }
  /** Marked, and the store already holds these figures (the same correction again): nothing changes. */
  | { kind: 'unchanged' }
  /** Marked, but there is nothing under its key to correct (or a reversal that does not match it): refused, so a mistyped key is not taken for a new row. */
  | { kind: 'refused'; reason: string };

/** The column's text as a marking; undefined when it is none of the accepted words. */
export function markingOf(text: string | undefined): Marking | undefined {
  const t = (text ?? '').trim().toLowerCase();
  if (t === '' || t === 'false') return 'none';
  if (t === 'true') return 'correction';
  if (t === 'reversal') return 'reversal';
  return undefined;
}

/** What a payment's figures put in the ledger: its amount, or nothing once reversed. */
export const counted = (f: Figures): number => (f.reversed ? 0 : f.amount);

export function correctionOutcome(marking: Marking | boolean, stored: Figures | undefined, incoming: Figures): CorrectionOutcome {
  const mark: Marking = marking === true ? 'correction' : marking === false ? 'none' : marking;
  if (mark === 'none') return { kind: 'write' };
  if (!stored) return { kind: 'refused', reason: `correction = ${mark === 'reversal' ? 'reversal' : 'true'} but nothing is recorded under this key to ${mark === 'reversal' ? 'reverse' : 'correct'}; not loaded` };
  if (mark === 'reversal') {
    if (stored.amount !== incoming.amount || stored.date !== incoming.date) {
      return { kind: 'refused', reason: 'correction = reversal but paid_on or amount differ from the payment recorded under this key (a reversal repeats them; correct the payment first); not loaded' };
    }
    if (stored.reversed) return { kind: 'unchanged' };
    return { kind: 'reversed', amountChange: -stored.amount };
  }
  const applied: Figures = { amount: incoming.amount, date: incoming.date };
  if (stored.amount === applied.amount && stored.date === applied.date && !stored.reversed) return { kind: 'unchanged' };
  return { kind: 'corrected', amountChange: counted(applied) - counted(stored) };
}

/** The figures the store holds once an outcome other than refused or unchanged is applied. */
export function appliedFigures(marking: Marking, incoming: Figures): Figures {
  return marking === 'reversal' ? { amount: incoming.amount, date: incoming.date, reversed: true } : { amount: incoming.amount, date: incoming.date };
}
