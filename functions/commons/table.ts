/**
 * The one table design. Every employer's ledger and casework live in one item collection
 * (partition `EMP#<unitCode>`), so the monthly run reads everything it needs for all employers
 * with one parallel Scan: an item collection is stored together and comes back contiguously,
 * so the run groups items per employer as they stream past and holds one employer at a time.
 *
 * | entity              | pk                 | sk                          | gsi1pk             | gsi1sk                              |
 * |---------------------|--------------------|-----------------------------|--------------------|-------------------------------------|
 * | employer            | EMP#<unit>         | PROFILE                     |                    |                                     |
 * | contribution period | EMP#<unit>         | PERIOD#<YYYY-MM>            |                    |                                     |
 * | payment             | EMP#<unit>         | PAYMENT#<reference>         |                    |                                     |
 * | case (current)      | EMP#<unit>         | CASE                        |                    |                                     |
 * | hold (current)      | EMP#<unit>         | HOLD                        |                    |                                     |
 * | promise or plan     | EMP#<unit>         | ARRANGEMENT                 |                    |                                     |
 * | case event          | EMP#<unit>         | EVENT#<cycle>#<kind>        |                    |                                     |
 * | notice (claim, log) | EMP#<unit>         | NOTICE#<cycle>#<kind>       |                    |                                     |
 * | pre-disclosure      | EMP#<unit>         | DISCLOSURE                  |                    |                                     |
 * | officer             | OFFICER#<id>       | PROFILE                     | DISTRICT#<d>       | OFFICER#<role>#<id>                 |
 * | task                | TASK#<taskId>      | TASK                        | OFFICER#<id>       | <status>#<dueDate>#<taskId>         |
 * | run summary         | RUN#<cycle>        | SUMMARY                     |                    |                                     |
 * | plan target         | TARGET#<year>      | <scope>#<key>               |                    |                                     |
 * | disclosure run      | RUN#<cycle>        | DISCLOSURE                  |                    |                                     |
 * | quarterly list run  | RUN#<YYYY-Qn>      | QUARTERLY-LIST              |                    |                                     |
 * | publication         | DISCLOSURE#<date>  | PUBLICATION                 |                    |                                     |
 */

export const GSI1 = 'gsi1';

export const keys = {
  employer: (unitCode: string) => ({ pk: `EMP#${unitCode}`, sk: 'PROFILE' }),
  period: (unitCode: string, period: string) => ({ pk: `EMP#${unitCode}`, sk: `PERIOD#${period}` }),
  payment: (unitCode: string, reference: string) => ({ pk: `EMP#${unitCode}`, sk: `PAYMENT#${reference}` }),
  case: (unitCode: string) => ({ pk: `EMP#${unitCode}`, sk: 'CASE' }),
  hold: (unitCode: string) => ({ pk: `EMP#${unitCode}`, sk: 'HOLD' }),
  arrangement: (unitCode: string) => ({ pk: `EMP#${unitCode}`, sk: 'ARRANGEMENT' }),
  /** One event of a kind per cycle: a retried step finds its event already there. */
  event: (unitCode: string, cycle: string, kind: string) => ({ pk: `EMP#${unitCode}`, sk: `EVENT#${cycle}#${kind}` }),
  notice: (unitCode: string, cycle: string, kind: string) => ({ pk: `EMP#${unitCode}`, sk: `NOTICE#${cycle}#${kind}` }),
  officer: (officerId: string) => ({ pk: `OFFICER#${officerId}`, sk: 'PROFILE' }),
  officerIndex: (district: string, role: string, officerId: string) => ({ gsi1pk: `DISTRICT#${district}`, gsi1sk: `OFFICER#${role}#${officerId}` }),
  task: (taskId: string) => ({ pk: `TASK#${taskId}`, sk: 'TASK' }),
  taskIndex: (officerId: string, status: string, dueDate: string, taskId: string) => ({ gsi1pk: `OFFICER#${officerId}`, gsi1sk: `${status}#${dueDate}#${taskId}` }),
  target: (year: number, scope: string, key: string) => ({ pk: `TARGET#${year}`, sk: `${scope}#${key}` }),
  runSummary: (cycle: string, kind: RunKind = 'SUMMARY') => ({ pk: `RUN#${cycle}`, sk: kind }),
  /** The unit's current pre-disclosure notice: claimed once, lapsed when the unit pays. */
  preDisclosure: (unitCode: string) => ({ pk: `EMP#${unitCode}`, sk: 'DISCLOSURE' }),
  /** One immutable record per published list. */
  publication: (date: string) => ({ pk: `DISCLOSURE#${date}`, sk: 'PUBLICATION' }),
};

export type RunKind = 'SUMMARY' | 'DISCLOSURE' | 'QUARTERLY-LIST';

export const EMPLOYER_PREFIX = 'EMP#';

/** The kind of an item in an employer's collection, from its sort key. */
export function employerItemKind(sk: string): 'profile' | 'period' | 'payment' | 'case' | 'hold' | 'arrangement' | 'disclosure' | 'event' | 'notice' | 'other' {
  if (sk === 'PROFILE') return 'profile';
  if (sk === 'ARRANGEMENT') return 'arrangement';
  if (sk === 'DISCLOSURE') return 'disclosure';
  if (sk === 'HOLD') return 'hold';
  if (sk === 'CASE') return 'case';
  if (sk.startsWith('PERIOD#')) return 'period';
  if (sk.startsWith('PAYMENT#')) return 'payment';
  if (sk.startsWith('EVENT#')) return 'event';
  if (sk.startsWith('NOTICE#')) return 'notice';
  return 'other';
}

/** Key attributes of the table and its index: CDK and the local stack both build from this. */
export const TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [{ name: GSI1, partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
} as const;
