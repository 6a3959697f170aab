import type { ContributionPeriod, Payment } from '../core/ledger.ts';
import type { LockKind, RunKind } from './table.ts';
import type { ReconciliationStore } from './reconciliation-store.ts';
import type { ClaimResult, ClaimStatus, WhenUnsure } from '../core/claim-rule.ts';
import type { ClaimCompletion, MessageKind, MessageRef, ProviderEvidence } from './message-claims.ts';
import type { Hold } from '../core/escalation.ts';
import type { UnitStanding } from '../core/unit-status.ts';
import type { Arrangement } from '../core/arrangement.ts';
import type { PreDisclosureState } from '../core/disclosure.ts';
import type {
  ArrangementRecord, CaseEvent, ContactAttemptRecord, CaseRecord, NewCaseEvent, ContributionPeriodRecord, Employer, HoldRecord, NoticeKind, NoticeRecord, Officer, PaymentRecord, PreDisclosureRecord,
  PublicationRecord, TargetRecord, TaskOutcome, TaskRecord,
} from './records.ts';

/** What the monthly run reads of one employer: no names, addresses or phones, only the ledger. */
export interface LedgerScan {
  unitCode: string;
  /** Whether the employer's profile exists (of its content only the district and commune are read). */
  hasProfile: boolean;
  district?: string;
  commune?: string;
  /** Suspended or closed, from when (core/unit-status.ts): a closed unit's periods after its closing month are left out of `periods`. */
  standing?: UnitStanding;
  periods: ContributionPeriod[];
  payments: Payment[];
  /** Payments the bank reversed: on record, left out of `payments` and so of the ledger (core/correction.ts). */
  reversedPayments?: (Payment & { reversedOn: string })[];
  case?: CaseRecord;
  /** A hold set on the employer (it may have ended: decisions compare its end date). */
  hold?: Hold;
  /** The latest promise to pay or payment plan (kept, missed or completed: decisions work it out). */
  arrangement?: Arrangement;
  /** The unit's pre-disclosure notice, if one was ever claimed. */
  preDisclosure?: PreDisclosureState;
}

/** Everything the product keeps about one employer, read in one go. */
export interface EmployerLedger extends LedgerScan {
  employer?: Employer;
}

/** A stored item that failed validation: reported with its key, never silently dropped. */
export interface MalformedItem {
  key: string;
  reason: string;
}

export interface OfficerWithLoad extends Officer {
  openTasks: number;
}

/**
 * The persistence ports, one per aggregate: a step names the ones it uses (see deps.ts), so a
 * missing one is a compile error. The DynamoDB adapter (dynamo-store.ts) implements them all over
 * the one table design; tests use it on dynalite.
 */

/** Employers' ledgers: profile, contribution periods and payments, read as one collection. */
export interface LedgerStore {
  /** One segment of a parallel read of all employers' ledgers, one employer at a time. */
  scanLedgers(segment: number, totalSegments: number, onMalformed: (m: MalformedItem) => void): AsyncIterable<LedgerScan>;
  getLedger(unitCode: string, onMalformed?: (m: MalformedItem) => void): Promise<EmployerLedger>;
  /** The employer's profile alone (the reports to the authorities name the unit). */
  getEmployer(unitCode: string): Promise<Employer | undefined>;
  putEmployers(employers: readonly Employer[]): Promise<void>;
  putPeriods(periods: readonly ContributionPeriodRecord[]): Promise<void>;
  /** Payments are keyed by reference, so recording one twice changes nothing. */
  putPayments(payments: readonly PaymentRecord[]): Promise<void>;
  /**
   * Records one payment once: the same reference again with the same date and amount is a
   * duplicate (nothing changes); with a different one it is refused (PaymentConflictError).
   */
  /** `provenance`: the collection file's version and line it was read from (functions/import/repeat-guard.ts). */
  recordPayment(payment: PaymentRecord, provenance?: ImportProvenance): Promise<'recorded' | 'duplicate'>;
}

/** The roster: officers, with their open-task load derived from their open tasks. */
export interface OfficerStore {
  putOfficers(officers: readonly Officer[]): Promise<void>;
  /** The district's officers, each with their load: a count of their open tasks. */
  officersInDistrict(district: string): Promise<OfficerWithLoad[]>;
  getOfficer(officerId: string): Promise<Officer | undefined>;
}

/** Casework: the current case, holds, promises and plans, and the case history. */
export interface CaseStore {
  putCase(record: CaseRecord): Promise<void>;
  /** Sets (or replaces) the employer's hold; `clearHold` lifts it early (marks it cleared). */
  putHold(hold: HoldRecord): Promise<void>;
  clearHold(unitCode: string): Promise<boolean>;
  /** Records a promise or plan, replacing an earlier one (the history keeps every one). */
  putArrangement(arrangement: ArrangementRecord): Promise<void>;
  /** Appends an event; the same event recorded twice (a retried step, same dedupe key) is kept once. */
  appendEvent(event: NewCaseEvent): Promise<void>;
  /** Records an attempt to reach the unit once (by its date and id): false when it was already there. */
  putContactAttempt(attempt: ContactAttemptRecord): Promise<boolean>;
  /** The unit's contact log, oldest first; an item that fails the schema is reported with its key and reason, the rest read. */
  contactAttempts(unitCode: string, onMalformed?: (m: MalformedItem) => void): Promise<ContactAttemptRecord[]>;
  /** The unit's events, oldest first; a stored event that fails the schema is reported and left out. */
  caseHistory(unitCode: string, onMalformed?: (m: MalformedItem) => void): Promise<CaseEvent[]>;
}

/** Officers' tasks. Ids come from ids.ts; type and escalation are fields, never read off an id. */
export interface TaskStore {
  /** Creates a task once (a retried step finds it and refreshes its token). */
  createTask(task: TaskRecord): Promise<TaskRecord>;
  getTask(taskId: string): Promise<TaskRecord | undefined>;
  /** Closes an open task; returns undefined when it was not open (already closed). */
  closeTask(taskId: string, close: TaskClose): Promise<TaskRecord | undefined>;
  openTasksOf(officerId: string): Promise<TaskRecord[]>;
  /** An officer's closed tasks (done, timed out, cancelled), at most `limit` of each status, by due date, the latest first. */
  closedTasksOf(officerId: string, limit: number): Promise<TaskRecord[]>;
  /** How many open tasks an officer has (their load), counted, never kept. */
  openTaskCount(officerId: string): Promise<number>;
  /** Every task of a unit's case in a cycle (officer's, team lead's, inspector's), open or not; in every cycle when none is named. */
  tasksOfCase(unitCode: string, cycle?: string): Promise<TaskRecord[]>;
  /**
   * Moves an open task to another officer (their loads follow), counting the move in the same write
   * (`reassignments`); a task already with that officer is returned unmoved; undefined when not open.
   */
  reassignTask(taskId: string, toOfficerId: string): Promise<TaskRecord | undefined>;
  /** Marks an open task as seen by its officer; undefined when not open. */
  acknowledgeTask(taskId: string, at: string): Promise<TaskRecord | undefined>;
}

export interface TaskClose {
  status: 'done' | 'timed-out' | 'cancelled';
  outcome?: TaskOutcome | undefined;
  note?: string | undefined;
  closedAt: string;
  closedBy: string;
  closedByPayment?: string | undefined;
}

/** Claims on messages (one rule, core/claim-rule.ts), so that each is sent at most once, and the records they leave. */
export interface ClaimStore {
  /** Claims a message before sending it: `claimed` (send it), `already-sent`, or `in-progress` (another worker's fresh claim). */
  claim(ref: MessageRef, now: Date, staleAfterMinutes: number, whenUnsure?: WhenUnsure): Promise<ClaimResult>;
  /** Records how the claimed send ended, with its evidence. */
  complete(ref: MessageRef, update: ClaimCompletion): Promise<void>;
  /** Records the provider's own word on a message (accepted, delivered, bounced, rejected); false when no claim has that key. */
  recordEvidence(ref: MessageRef, evidence: ProviderEvidence): Promise<boolean>;
  /** Claims of a kind not settled since before an instant (crashed or failed), for the redrive. */
  pendingClaims(message: MessageKind, before: string): Promise<{ ref: MessageRef; status: ClaimStatus; claimedAt: string }[]>;
  /** How each employee's notice of a unit and cycle stands (by its opaque employee key), read consistently: what the unit is told of once the notices' deadline has passed. */
  employeeNoticeStatuses(unitCode: string, cycle: string): Promise<ClaimStatus[]>;
  getNotice(unitCode: string, cycle: string, kind?: NoticeKind): Promise<NoticeRecord | undefined>;
  /** Every notice of a kind (urging by default) of an employer (claims, sends, failures), oldest cycle first. */
  noticesOf(unitCode: string, kind?: NoticeKind): Promise<NoticeRecord[]>;
  /** A sent pre-disclosure notice no longer stands (the unit went below the thresholds); false when it was not sent. */
  lapsePreDisclosure(unitCode: string, lapsedOn: string): Promise<boolean>;
  getPreDisclosure(unitCode: string): Promise<PreDisclosureRecord | undefined>;
}

/** What the runs leave behind: run summaries and the published disclosure lists. */
export interface RunStore {
  /** The record of a run: the monthly run (SUMMARY), the disclosure run, the quarterly list. */
  putRunSummary(cycle: string, summary: Record<string, unknown>, kind?: RunKind): Promise<void>;
  /** A run's record as stored (the reader validates it), read consistently; undefined when there is none. */
  getRunRecord(scope: string, kind: RunKind): Promise<Record<string, unknown> | undefined>;
  /** Records a publication once: false when one of that date is already recorded (it is kept). */
  putPublication(publication: PublicationRecord): Promise<boolean>;
  getPublication(date: string): Promise<PublicationRecord | undefined>;
  /**
   * Takes a run's lease (one conditional write): true when it was free, released, expired (its holder
   * crashed) or already this owner's; false when another owner's lease is live at `now`.
   */
  takeLease(lease: RunLease): Promise<boolean>;
  /** Moves the lease's expiry on; false when it is no longer this owner's (expired and taken over). */
  renewLease(lease: RunLease): Promise<boolean>;
  /** Gives the lease up at `now` (it can be taken at once); false when it was not this owner's. */
  releaseLease(lease: Omit<RunLease, 'expiresAt'>): Promise<boolean>;
}

/** One run's lease: which run (scope and kind), who holds it (the invocation) and until when. */
export interface RunLease {
  /** The run's cycle, quarter or date: the partition of its record. */
  scope: string;
  kind: LockKind;
  /** The invocation (Lambda request id, or the state machine's execution for its segments). */
  owner: string;
  now: Date;
  expiresAt: Date;
}

/** The year's plan targets (collection and debt ratio) of districts, communes and officers. */
export interface PlanStore {
  /** A target put again for the same year, scope and key replaces the earlier one. */
  putTargets(targets: readonly TargetRecord[]): Promise<void>;
  targetsFor(year: number): Promise<TargetRecord[]>;
}

/** The key of a row an import writes, to ask where its stored item came from. */
export type ImportedRowKey =
  | { kind: 'employer'; unitCode: string }
  | { kind: 'period'; unitCode: string; period: string }
  | { kind: 'payment'; unitCode: string; reference: string }
  | { kind: 'officer'; officerId: string }
  | { kind: 'target'; year: number; scope: string; key: string }
  | { kind: 'roster-member'; unitCode: string; siCode: string; startMonth: string }
  | { kind: 'tax-organisation'; year: number; taxCode: string }
  | { kind: 'tax-employee'; year: number; payerTaxCode: string; personalId: string }
  | { kind: 'registration'; taxCode: string }
  // The participant files (functions/import/participant-import.ts); a collection agent is an officer.
  | { kind: 'participant'; siCode: string }
  | { kind: 'household'; householdCode: string }
  | { kind: 'hi-card'; householdCode: string; siCode: string }
  | { kind: 'renewal-target'; month: string; commune: string; agentId: string | undefined }
  | { kind: 'renewal'; payer: 'vsi' | 'hi'; code: string; reference: string };

/** Written on each item an import writes: which file version and line it came from. */
export interface ImportProvenance {
  importSource: string;
  importLine: number;
  /** A period's or payment's figures as stored (what a correction row replaces: core/correction.ts). */
  figures?: { amount: number; date: string; reversed?: boolean };
}

/**
 * Where imported items came from. A file's import keeps the first row of each key: whether a
 * later row repeats one is settled by the stored item's provenance (functions/import/repeat-guard.ts).
 */
export interface ImportMarkStore {
  importedFrom(row: ImportedRowKey): Promise<ImportProvenance | undefined>;
}

/** Every store port at once: what the DynamoDB adapter implements. */
export type ArrearsStore = LedgerStore & OfficerStore & CaseStore & TaskStore & ClaimStore & RunStore & PlanStore & ReconciliationStore & ImportMarkStore;
