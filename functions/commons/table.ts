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
 * | case event          | EMP#<unit>         | EVENT#<cycle>#<dedupeKey>   |                    |                                     |
 * | notice (claim, log) | EMP#<unit>         | NOTICE#<cycle>#<kind>       |                    |                                     |
 * | contact attempt     | EMP#<unit>         | CONTACT#<date>#<attemptId>  |                    |                                     |
 * |   (the contact log: channel, result, the person met and the officer's note; its case event says only whether there are any)  |
 * | message (claim)     | EMP#<unit>         | MESSAGE#<kind>#<id>         |                    |                                     |
 * |   (a claim not settled yet also carries gsi2pk PENDING#<message kind>, gsi2sk <claimedAt>#<pk>#<sk>: the redrive's work) |
 * |   (kind: urging, or statement: every unit's monthly statement)                                                            |
 * | pre-disclosure      | EMP#<unit>         | DISCLOSURE                  |                    |                                     |
 * | officer             | OFFICER#<id>       | PROFILE                     | DISTRICT#<d>       | OFFICER#<role>#<id>                 |
 * | task                | TASK#<taskId>      | TASK                        | OFFICER#<id>       | <status>#<dueDate>#<taskId>         |
 * |   (a case's task also carries gsi2pk CASETASKS#<unit>, gsi2sk <cycle>#<taskId>: the tasks of a case in a cycle)             |
 * | run summary         | RUN#<cycle>        | SUMMARY                     |                    |                                     |
 * | plan target         | PLAN#<year>        | <scope>#<key>               |                    |                                     |
 * | disclosure run      | RUN#<cycle>        | DISCLOSURE                  |                    |                                     |
 * | run lease           | RUN#<cycle>        | LOCK#<lock kind>            |                    |                                     |
 * |   (one run of a kind at a time: owner and expiresAt; a run's scope is its cycle, quarter or date; see run-lease.ts)   |
 * | statement run       | RUN#<cycle>        | STATEMENTS#<segments or all>|                    |                                     |
 * | quarterly list run  | RUN#<YYYY-Qn>      | QUARTERLY-LIST              |                    |                                     |
 * | publication         | DISCLOSURE#<date>  | PUBLICATION                 |                    |                                     |
 * | revoked session     | SESSION#<jti>      | REVOKED                     |                    |                                     |
 * |   (a signed-out inbox session's access token, refused until it expires: `expiresAt`, the table's TTL attribute)             |
 * | staff user (local)  | DIRECTORY          | USER#<username>             |                    |                                     |
 * |   (LOCAL ONLY: the staff directory's stand-in, functions/commons/staff-directory.ts; in AWS the users are Cognito's)        |
 *
 * Voluntary SI participants and households with HI cards ("payers"), one item collection each
 * (`<P>` is `PART#<siCode>` or `HH#<householdCode>`). A cycle is one stretch of cover, named by
 * its last day; the cycle with something left to do carries the sparse reminder index (gsi2), sorted
 * by the date of its next action, so the daily run asks each shard for everything due up to today
 * (whatever days a stopped scheduler missed), never the whole table.
 *
 * | entity              | pk                 | sk                                   | gsi1pk          | gsi1sk          | gsi2pk          | gsi2sk          |
 * |---------------------|--------------------|--------------------------------------|-----------------|-----------------|-----------------|-----------------|
 * | participant (VSI)   | PART#<siCode>      | PROFILE                              |                 |                 |                 |                 |
 * | household (HI)      | HH#<code>          | PROFILE                              |                 |                 |                 |                 |
 * | HI card             | HH#<code>          | CARD#<siCode>                        |                 |                 |                 |                 |
 * | cycle               | <P>                | CYCLE#<coveredUntil>                 | DUE#<YYYY-MM>   | <kind>#<code>   | REMIND#<shard>  | <date>#<kind>#<code> |
 * | reminder claim/log  | <P>                | REMINDER#<coveredUntil>#<step>#<ch>  |                 |                 |                 |                 |
 * | ZNS attempt         | ZNS#<trackingId>   | ATTEMPT                              |                 |                 |                 |                 |
 * | renewal             | <P>                | RENEWAL#<reference>                  |                 |                 |                 |                 |
 * | suppression         | SUPPRESS#<ch>#<sha256 of address> | SUPPRESSION           |                 |                 |                 |                 |
 * | renewal target      | TARGET#<YYYY-MM>   | <commune>#<agentId or *>             |                 |                 |                 |                 |
 * | reminder run        | RUN#<date>         | REMINDERS#<startedAt> (one per run)  |                 |                 |                 |                 |
 *
 * Reconciliation with tax data (functions/core/reconciliation.ts): each unit's roster in a collection
 * of its own (not the unit's `EMP#` collection, which the monthly run scans whole), the tax data of
 * a year in one collection, the business register in one. A personal ID is never part of a key
 * (keys appear in reports of malformed items): a tax record is keyed by the SHA-256 of it.
 *
 * | entity              | pk                 | sk                                   |
 * |---------------------|--------------------|--------------------------------------|
 * | roster member       | ROSTER#<unit>      | MEMBER#<siCode>#<startMonth>         |
 * | tax: organisation   | TAX#<year>         | ORG#<taxCode>                        |
 * | tax: employee       | TAX#<year>         | PAID#<payerTaxCode>#<sha256 of personal ID, 16 hex> |
 * | business register   | REGISTER           | BUSINESS#<taxCode>                   |
 * | tax-data check      | TASK#<taskId>      | FINDING                              |
 * |   (the finding a check task is about, whole, and what the check found; gsi2pk TAXCHECKS#<unit>, gsi2sk <quarter>#<taskId>: a unit's checks) |
 * |   (and gsi1pk TAXCHECKSIN#<quarter>, gsi1sk <unit>#<taskId>: the quarter's checks, for the collection report)                |
 * | registered (count)  | ROSTER#<unit>      | REGISTERED#<quarter>#<taskId>        |
 * | employee notice claim | ROSTER#<unit>    | NOTICE#<cycle>#<ids.employeeNotice>  |
 * |   (issue 14: one employee told of the unit's arrears, once per cycle; the unit's own "employees informed" claim is EMP#<unit> MESSAGE#employees-informed#<cycle>) |
 * |   (employees a check registered; gsi1pk REGISTERED#<quarter>, gsi1sk <unit>#<taskId>: the quarter's, for a report)                |
 *
 * gsi1 `DUE#<month>` lists the cycles ending in a month (the renewal report); gsi2 is present only
 * while a cycle has a reminder or the agent's task ahead, and moves (or goes) when a reminder is
 * sent or the cycle is renewed.
 */

import { createHash } from 'node:crypto';
import type { ImportedRowKey } from './store.ts';

export const GSI1 = 'gsi1';
export const GSI2 = 'gsi2';

export const keys = {
  employer: (unitCode: string) => ({ pk: `EMP#${unitCode}`, sk: 'PROFILE' }),
  period: (unitCode: string, period: string) => ({ pk: `EMP#${unitCode}`, sk: `PERIOD#${period}` }),
  payment: (unitCode: string, reference: string) => ({ pk: `EMP#${unitCode}`, sk: `PAYMENT#${reference}` }),
  case: (unitCode: string) => ({ pk: `EMP#${unitCode}`, sk: 'CASE' }),
  hold: (unitCode: string) => ({ pk: `EMP#${unitCode}`, sk: 'HOLD' }),
  arrangement: (unitCode: string) => ({ pk: `EMP#${unitCode}`, sk: 'ARRANGEMENT' }),
  /** One event per dedupe key (core/case-events.ts `dedupeKeyOf`) and cycle: a retried step finds its event already there. */
  event: (unitCode: string, cycle: string, dedupeKey: string) => ({ pk: `EMP#${unitCode}`, sk: `EVENT#${cycle}#${dedupeKey}` }),
  notice: (unitCode: string, cycle: string, kind: string) => ({ pk: `EMP#${unitCode}`, sk: `NOTICE#${cycle}#${kind}` }),
  /** One attempt to reach a unit, by its date and the form's id (written once). */
  contact: (unitCode: string, on: string, attemptId: string) => ({ pk: `EMP#${unitCode}`, sk: `CONTACT#${on}#${attemptId}` }),
  /** Another message to an employer claimed once (a payment's confirmation, by its reference). */
  message: (unitCode: string, kind: string, id: string) => ({ pk: `EMP#${unitCode}`, sk: `MESSAGE#${kind}#${id}` }),
  /** A message about a task (to its officer) claimed once. */
  taskMessage: (taskId: string, purpose: string) => ({ pk: `TASK#${taskId}`, sk: `MESSAGE#${purpose}` }),
  /** A message to a member of staff by their sign-in name (a manager's monthly report), claimed once. */
  staffMessage: (username: string, purpose: string) => ({ pk: `STAFF#${username}`, sk: `MESSAGE#${purpose}` }),
  /** A claim not yet settled (claimed, or failed and to be sent again), by kind and age: what the redrive run reads (gsi2). */
  pendingClaim: (message: string, since: string, key: { pk: string; sk: string }) => ({ gsi2pk: `PENDING#${message}`, gsi2sk: `${since}#${key.pk}#${key.sk}` }),
  officer: (officerId: string) => ({ pk: `OFFICER#${officerId}`, sk: 'PROFILE' }),
  officerIndex: (district: string, role: string, officerId: string) => ({ gsi1pk: `DISTRICT#${district}`, gsi1sk: `OFFICER#${role}#${officerId}` }),
  task: (taskId: string) => ({ pk: `TASK#${taskId}`, sk: 'TASK' }),
  taskIndex: (officerId: string, status: string, dueDate: string, taskId: string) => ({ gsi1pk: `OFFICER#${officerId}`, gsi1sk: `${status}#${dueDate}#${taskId}` }),
  /** A case's tasks by unit and cycle (gsi2; an empty task id gives the cycle's prefix). */
  caseTaskIndex: (unitCode: string, cycle: string, taskId: string) => ({ gsi2pk: `CASETASKS#${unitCode}`, gsi2sk: `${cycle}#${taskId}` }),
  planTarget: (year: number, scope: string, key: string) => ({ pk: `PLAN#${year}`, sk: `${scope}#${key}` }),
  runSummary: (cycle: string, kind: RunKind = 'SUMMARY') => ({ pk: `RUN#${cycle}`, sk: kind }),
  /** The lease of a run (functions/commons/run-lease.ts): beside the run's record, one per kind (and part) of run. */
  runLock: (scope: string, kind: LockKind) => ({ pk: `RUN#${scope}`, sk: `LOCK#${kind}` }),
  /** The unit's current pre-disclosure notice: claimed once, lapsed when the unit pays. */
  preDisclosure: (unitCode: string) => ({ pk: `EMP#${unitCode}`, sk: 'DISCLOSURE' }),
  /** One immutable record per published list. */
  publication: (date: string) => ({ pk: `DISCLOSURE#${date}`, sk: 'PUBLICATION' }),
  /** A participant (`vsi`, by SI code) or a household (`hi`, by household code). */
  payer: (kind: 'vsi' | 'hi', code: string) => ({ pk: `${kind === 'vsi' ? 'PART' : 'HH'}#${code}`, sk: 'PROFILE' }),
  hiCard: (householdCode: string, siCode: string) => ({ pk: `HH#${householdCode}`, sk: `CARD#${siCode}` }),
  cycle: (kind: 'vsi' | 'hi', code: string, coveredUntil: string) => ({ pk: keys.payer(kind, code).pk, sk: `CYCLE#${coveredUntil}` }),
  cycleDueIndex: (kind: 'vsi' | 'hi', code: string, coveredUntil: string) => ({ gsi1pk: `DUE#${coveredUntil.slice(0, 7)}`, gsi1sk: `${kind}#${code}` }),
  reminderIndex: (kind: 'vsi' | 'hi', code: string, date: string) => ({ gsi2pk: reminderShard(`${kind}#${code}`), gsi2sk: `${date}#${kind}#${code}` }),
  reminder: (kind: 'vsi' | 'hi', code: string, coveredUntil: string, step: string, channel: string) =>
    ({ pk: keys.payer(kind, code).pk, sk: `REMINDER#${coveredUntil}#${step}#${channel}` }),
  /** The ZNS attempt of a reminder's phone message, by its tracking id (a hash of the claim's key): written before Zalo is called. */
  znsAttempt: (trackingId: string) => ({ pk: `ZNS#${trackingId}`, sk: 'ATTEMPT' }),
  renewal: (kind: 'vsi' | 'hi', code: string, reference: string) => ({ pk: keys.payer(kind, code).pk, sk: `RENEWAL#${reference}` }),
  /** An inbox session signed out before its token expired (functions/inbox/revocations.ts). */
  revokedSession: (sessionId: string) => ({ pk: `SESSION#${sessionId}`, sk: 'REVOKED' }),
  /** LOCAL ONLY: a user of the staff directory's stand-in (Cognito in AWS), all in one item collection. */
  staffUser: (username: string) => ({ pk: 'DIRECTORY', sk: `USER#${username}` }),
  suppression: (channel: string, addressHash: string) => ({ pk: `SUPPRESS#${channel}#${addressHash}`, sk: 'SUPPRESSION' }),
  target: (month: string, commune: string, agentId: string | undefined) => ({ pk: `TARGET#${month}`, sk: `${commune}#${agentId ?? '*'}` }),
  /** One row of a unit's roster: a person employed again later is another row (another start month). */
  rosterMember: (unitCode: string, siCode: string, startMonth: string) => ({ pk: `ROSTER#${unitCode}`, sk: `MEMBER#${siCode}#${startMonth}` }),
  taxOrganisation: (year: number, taxCode: string) => ({ pk: `TAX#${year}`, sk: `ORG#${taxCode}` }),
  /** One employee's income from one payer in a year; an empty payer gives the prefix of all the year's. */
  taxEmployee: (year: number, payerTaxCode: string, personalId: string) =>
    ({ pk: `TAX#${year}`, sk: payerTaxCode === '' ? 'PAID#' : `PAID#${payerTaxCode}#${personKey(personalId)}` }),
  /** The prefix of one payer's employees of a year (taxEmployee's). */
  taxEmployeesOf: (year: number, payerTaxCode: string) => ({ pk: `TAX#${year}`, sk: `PAID#${payerTaxCode}#` }),
  registration: (taxCode: string) => ({ pk: 'REGISTER', sk: `BUSINESS#${taxCode}` }),
  /** The finding a tax-data check is about, beside its task (the task record itself stays free of it). */
  taxCheck: (taskId: string) => ({ pk: `TASK#${taskId}`, sk: 'FINDING' }),
  /** A unit's (or unregistered organisation's) tax-data checks by quarter; an empty quarter gives them all. */
  taxCheckIndex: (unitCode: string, quarter: string, taskId: string) => ({ gsi2pk: `TAXCHECKS#${unitCode}`, gsi2sk: quarter === '' ? '' : `${quarter}#${taskId}` }),
  /** Every tax-data check of a quarter (gsi1), by unit: what the collection report counts. */
  taxCheckQuarterIndex: (quarter: string, unitCode: string, taskId: string) => ({ gsi1pk: `TAXCHECKSIN#${quarter}`, gsi1sk: `${unitCode}#${taskId}` }),
  /** Employees a check registered, in the unit's roster collection (its members are under MEMBER#). */
  registeredByCheck: (unitCode: string, quarter: string, taskId: string) => ({ pk: `ROSTER#${unitCode}`, sk: `REGISTERED#${quarter}#${taskId}` }),
  /** An employee told of the unit's arrears, once per cycle, by the opaque id (ids.employeeNotice): no SI code in the key. */
  employeeNotice: (unitCode: string, cycle: string, employee: string) => ({ pk: `ROSTER#${unitCode}`, sk: `NOTICE#${cycle}#${employee}` }),
  registeredIndex: (quarter: string, unitCode: string, taskId: string) => ({ gsi1pk: `REGISTERED#${quarter}`, gsi1sk: `${unitCode}#${taskId}` }),
};

/** The table key of the item an import row writes (its provenance is read there: functions/import/repeat-guard.ts). */
export function importedItemKey(row: ImportedRowKey): { pk: string; sk: string } {
  switch (row.kind) {
    case 'employer': return keys.employer(row.unitCode);
    case 'period': return keys.period(row.unitCode, row.period);
    case 'payment': return keys.payment(row.unitCode, row.reference);
    case 'officer': return keys.officer(row.officerId);
    case 'target': return keys.planTarget(row.year, row.scope, row.key);
    case 'roster-member': return keys.rosterMember(row.unitCode, row.siCode, row.startMonth);
    case 'tax-organisation': return keys.taxOrganisation(row.year, row.taxCode);
    case 'tax-employee': return keys.taxEmployee(row.year, row.payerTaxCode, row.personalId);
    case 'registration': return keys.registration(row.taxCode);
    case 'participant': return keys.payer('vsi', row.siCode);
    case 'household': return keys.payer('hi', row.householdCode);
    case 'hi-card': return keys.hiCard(row.householdCode, row.siCode);
    case 'renewal-target': return keys.target(row.month, row.commune, row.agentId);
    case 'renewal': return keys.renewal(row.payer, row.code, row.reference);
  }
}

/** A personal ID as a key part: stable, and not the number itself. */
function personKey(personalId: string): string {
  return createHash('sha256').update(personalId).digest('hex').slice(0, 16);
}

/**
 * The reminder index is spread over a few fixed partitions: one would take every cycle's index
 * write of a busy day (a GSI partition takes about 1,000 writes a second); the daily run reads
 * them all, so a few more queries are the whole cost.
 */
export const REMINDER_SHARDS = 8;

export const reminderShards = (): string[] => Array.from({ length: REMINDER_SHARDS }, (_, i) => `REMIND#${i}`);

/** A stable shard per payer (FNV-1a): the same payer always lands in the same partition. */
export function reminderShard(payerKey: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < payerKey.length; i++) h = Math.imul(h ^ payerKey.charCodeAt(i), 0x01000193);
  return `REMIND#${(h >>> 0) % REMINDER_SHARDS}`;
}

/** `IMPORT#<file>`: one file's import under a batch prefix (the scope), with its checkpoint. */
export type RunKind = 'SUMMARY' | `SUMMARY#${string}` | 'DISCLOSURE' | 'QUARTERLY-LIST' | `REMINDERS#${string}` | 'RENEWAL-REPORT' | `STATEMENTS#${string}` | `REDRIVE#${string}` | `IMPORT#${string}` | `EMPLOYEE-NOTICES#${string}`;

/**
 * What a run's lease guards: one monthly run, disclosure run, quarterly list or reminder run of a
 * scope at a time; a run over scan segments is leased per part: the whole (`SUMMARY#all`) or the
 * segments one invocation reads (`STATEMENTS#0/4`).
 */
export type LockKind = `SUMMARY#${string}` | 'DISCLOSURE' | 'QUARTERLY-LIST' | 'REMINDERS' | `STATEMENTS#${string}` | 'IMPORT';

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
  /** Epoch seconds after which DynamoDB may delete the item (revoked sessions); readers check it too (dynalite has no TTL, and AWS deletes late). */
  timeToLiveAttribute: 'expiresAt',
  indexes: [
    { name: GSI1, partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    // The sparse reminder index: only cycles with a reminder or an agent's task ahead carry its keys.
    { name: GSI2, partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
} as const;
