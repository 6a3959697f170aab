import type { z } from 'zod';

/**
 * Why a row was refused, as "column rule": it names the CSV column and the rule broken, never the
 * value, because values (names, emails, phones, tax codes) are personal data and reports get logged.
 */

/** CSV columns are the snake_case of record fields (amountDue → amount_due). */
export const columnOf = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function reasonOf(
  issues: readonly z.core.$ZodIssue[],
  row: Readonly<Record<string, string | undefined>>,
  optional: readonly string[],
  /** A file whose columns are not named after the record's fields (a collection file) maps them here. */
  columnFor: (field: string) => string = columnOf,
): string {
  const reasons = issues.map((issue) => ({ column: columnFor(String(issue.path[0] ?? '')), issue }));
  // A blank optional cell is never the fault itself: it failed because a value it is derived from
  // did (a blank due_date is computed from a bad period), which is reported on its own.
  const own = reasons.filter(({ column }) => !(optional.includes(column) && row[column] === undefined));
  const shown = own.length > 0 ? own : reasons;
  return [...new Set(shown.map(({ column, issue }) => `${column} ${rule(issue, row[column])}`))].join('; ');
}

function rule(issue: z.core.$ZodIssue, cell: string | undefined): string {
  switch (issue.code) {
    case 'invalid_type':
      return cell === undefined ? 'is required' : 'has the wrong type';
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'too_big':
      if (issue.origin === 'string' && issue.message.startsWith('Too big')) return `must be at most ${String(issue.maximum)} characters`;
      return issue.message;
    case 'too_small':
      if (issue.origin === 'string' && issue.message.startsWith('Too small')) return 'must not be blank';
      return issue.message;
    default:
      // Every other rule carries the message written for it in records.ts (no values in them).
      return issue.message;
  }
}
