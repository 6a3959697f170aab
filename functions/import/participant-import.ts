import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { incomeProblem } from '../core/contribution.ts';
import type { PayerKind } from '../core/reminder-policy.ts';
import {
  hiCardSchema, householdCodeSchema, householdSchema, participantSchema, renewalSchema, siCodeSchema, targetSchema,
  type HiCard, type Household, type Participant, type RenewalRecord, type TargetRecord,
} from '../commons/reminder-records.ts';
import { type Deps } from '../commons/deps.ts';
import { NotFoundError } from '../commons/errors.ts';
import { officerIdSchema, officerSchema, type Officer } from '../commons/records.ts';
import { scheduleCycle } from '../steps/schedule-cycle.ts';
import { recordRenewal } from '../steps/record-renewal.ts';
import { BatchWriter } from './batch-writer.ts';
import { RepeatGuard } from './repeat-guard.ts';
import { FolderImportBucket } from '../commons/documents.ts';
import type { ImportedRowKey } from '../commons/store.ts';
import { headerProblem, readRows, type Row } from './csv-rows.ts';
import { moneyText, shown } from './import-files.ts';
import { reasonOf } from './row-reasons.ts';
import type { ImportError } from './csv-import.ts';

/**
 * Import of voluntary SI participants, households and their HI cards, renewals and renewal
 * targets (format: data/sample/README.md "Participant files"). Like the employer import: rows
 * validated with the record schemas, a bad row reported by file, line, key and column+rule (never a
 * value), every good row loaded; a row repeating the key of an earlier row of its file is refused
 * and reported with both lines, the first one kept (repeat-guard.ts). After the profiles and cards, each participant and household
 * imported is scheduled in the reminder index; renewals go through the renewal step one by one
 * (once per reference), so they stop the remaining reminders of their cycle at once.
 */

export const PARTICIPANT_FILES = ['collection-agents.csv', 'participants.csv', 'households.csv', 'hi-cards.csv', 'renewals.csv', 'renewal-targets.csv'] as const;

export interface ParticipantImportReport {
  loaded: { agents: number; participants: number; households: number; cards: number; renewals: number; renewalsDuplicate: number; targets: number };
  /** Cycles put in the reminder index (participants and households with cover to remind about). */
  scheduled: number;
  errors: ImportError[];
}

/** The record schema, taking whatever the text conversions before it produce. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const into = <T>(schema: z.ZodType<T>) => schema as unknown as z.ZodType<T, any>;
const booleanText = z.string().regex(/^(true|false)$/i, 'must be true or false').transform((v) => v.toLowerCase() === 'true');
const intText = z.string().regex(/^\d+$/, 'must be a whole number').transform(Number);
const siKey = (v: string | undefined) => shown(v, siCodeSchema);
const hhKey = (v: string | undefined) => shown(v, householdCodeSchema);

export interface Spec<T> {
  file: (typeof PARTICIPANT_FILES)[number];
  required: readonly string[];
  optional: readonly string[];
  schema: z.ZodType<T>;
  toRecord(row: Row): Record<string, unknown>;
  reportKey(row: Row): string;
  /** A rule the schema cannot know (the poverty line of the day): a column and rule, or undefined. */
  check?(record: T): { column: string; rule: string } | undefined;
}

const contactColumns = ['phone', 'email', 'commune', 'agent_id', 'preferred_channel', 'language', 'consent', 'opt_out', 'zalo'];
const contactOf = (r: Row) => ({
  phone: r.phone, email: r.email, commune: r.commune, agentId: r.agent_id, preferredChannel: r.preferred_channel, locale: r.language,
  consent: r.consent, optOut: r.opt_out, zalo: r.zalo,
});
/** The `zalo` column: yes/no (or true/false); empty or absent is no. */
const yesNoText = z.string().regex(/^(yes|no|true|false|)$/i, 'must be yes or no').transform((v) => ['yes', 'true'].includes(v.toLowerCase()));
const contactTypes = { consent: booleanText, optOut: booleanText.optional().transform((v) => v ?? false), zalo: yesNoText.optional().transform((v) => v ?? false) };

function participantsSpec(today: string, deps: Deps): Spec<Participant> {
  return {
    file: 'participants.csv',
    required: ['si_code', 'name', 'date_of_birth', 'commune', 'agent_id', 'payment_method', 'chosen_income', 'support_group', 'paid_through', 'preferred_channel', 'consent'],
    optional: ['phone', 'email', 'language', 'opt_out', 'zalo', 'years_ahead', 'support_months_used'],
    schema: z.object({ chosenIncome: moneyText, yearsAhead: intText.optional(), supportMonthsUsed: intText.optional(), ...contactTypes })
      .passthrough().pipe(into(participantSchema)),
    toRecord: (r) => ({
      siCode: r.si_code, name: r.name, dateOfBirth: r.date_of_birth, ...contactOf(r), method: r.payment_method, yearsAhead: r.years_ahead,
      chosenIncome: r.chosen_income, supportGroup: r.support_group, supportMonthsUsed: r.support_months_used, paidThrough: r.paid_through,
    }),
    reportKey: (r) => siKey(r.si_code),
    check: (p) => {
      const problem = incomeProblem(p.chosenIncome, today, deps.policyFor(today).reminders);
      return problem ? { column: 'chosen_income', rule: problem } : undefined;
    },
  };
}

/** Collection agents: officer records (officers.csv columns) with role collection-agent. */
const agents: Spec<Officer> = {
  file: 'collection-agents.csv',
  required: ['officer_id', 'name', 'email', 'district', 'role'],
  optional: ['communes', 'active', 'team_lead_id', 'phone'],
  schema: z.object({ active: booleanText.optional().transform((v) => v ?? true) }).passthrough().pipe(into(officerSchema)),
  toRecord: (r) => ({
    officerId: r.officer_id, name: r.name, email: r.email, district: r.district,
    communes: (r.communes ?? '').split(';').map((c) => c.trim()).filter(Boolean), role: r.role, active: r.active, teamLeadId: r.team_lead_id, phone: r.phone,
  }),
  reportKey: (r) => shown(r.officer_id, officerIdSchema),
};

const households: Spec<Household> = {
  file: 'households.csv',
  required: ['household_code', 'head_name', 'commune', 'agent_id', 'payment_method', 'preferred_channel', 'consent'],
  optional: ['phone', 'email', 'language', 'opt_out', 'zalo'],
  schema: z.object(contactTypes).passthrough().pipe(into(householdSchema)),
  toRecord: (r) => ({ householdCode: r.household_code, headName: r.head_name, ...contactOf(r), method: r.payment_method }),
  reportKey: (r) => hhKey(r.household_code),
};

const cards: Spec<HiCard> = {
  file: 'hi-cards.csv',
  required: ['household_code', 'si_code', 'name', 'date_of_birth', 'expires_on'],
  optional: [],
  schema: hiCardSchema,
  toRecord: (r) => ({ householdCode: r.household_code, siCode: r.si_code, name: r.name, dateOfBirth: r.date_of_birth, expiresOn: r.expires_on }),
  reportKey: (r) => `${hhKey(r.household_code)} ${siKey(r.si_code)}`,
};

export const renewals: Spec<RenewalRecord> = {
  file: 'renewals.csv',
  required: ['kind', 'code', 'reference', 'paid_on'],
  optional: ['amount', 'paid_through', 'expires_on'],
  schema: z.object({ amount: moneyText.optional() }).passthrough().pipe(into(renewalSchema)),
  toRecord: (r) => ({ kind: r.kind, code: r.code, reference: r.reference, paidOn: r.paid_on, amount: r.amount, paidThrough: r.paid_through, expiresOn: r.expires_on }),
  reportKey: (r) => `${r.kind === 'hi' ? hhKey(r.code) : siKey(r.code)} ${shown(r.reference, renewalSchema.shape.reference)}`,
};

/** The stored renewal a row records, and the columns naming it (a repeat within the file: repeat-guard.ts). */
export const renewalKey = (r: RenewalRecord): ImportedRowKey => ({ kind: 'renewal', payer: r.kind, code: r.code, reference: r.reference });
export const RENEWAL_KEY_COLUMNS = 'kind, code and reference';

const targets: Spec<TargetRecord> = {
  file: 'renewal-targets.csv',
  required: ['month', 'commune', 'target_renewal_percent'],
  optional: ['agent_id'],
  schema: z.object({ targetRenewalPercent: intText }).passthrough().pipe(into(targetSchema)),
  toRecord: (r) => ({ month: r.month, commune: r.commune, agentId: r.agent_id, targetRenewalPercent: r.target_renewal_percent }),
  reportKey: (r) => `${shown(r.month, z.string().regex(/^\d{4}-\d{2}$/))} ${shown(r.agent_id, officerIdSchema)}`,
};

/** A row of a payer file as its record, or undefined once its refusal is reported (the one rule for every payer file, folder or chunk). */
export function payerRecord<T>(spec: Spec<T>, row: Readonly<Record<string, string | undefined>>, line: number, fail: (line: number, key: string, reason: string) => void): T | undefined {
  const parsed = spec.schema.safeParse(spec.toRecord(row));
  if (!parsed.success) {
    fail(line, spec.reportKey(row), reasonOf(parsed.error.issues, row, spec.optional, columnFor));
    return undefined;
  }
  const problem = spec.check?.(parsed.data);
  if (problem) {
    fail(line, spec.reportKey(row), `${problem.column} ${problem.rule}`);
    return undefined;
  }
  return parsed.data;
}

/** Reads one file row by row: good records go to `accept`, bad rows to the report. */
async function readFile<T>(dir: string, spec: Spec<T>, report: ParticipantImportReport, accept: (record: T, line: number, row: Row) => Promise<void>): Promise<void> {
  const path = join(dir, spec.file);
  if (!existsSync(path)) return;
  const fail = (line: number, key: string, reason: string) => { report.errors.push({ file: spec.file, line, key, reason }); };
  await readRows(path, fail, {
    header: (names) => headerProblem(spec.required, spec.optional, names),
    reportKey: spec.reportKey,
    row: async (row, line) => {
      const record = payerRecord(spec, row, line, fail);
      if (record !== undefined) await accept(record, line, row);
    },
  });
}

/** Record fields whose CSV column is not their snake_case. */
const COLUMN_OF: Record<string, string> = { agentId: 'agent_id', method: 'payment_method', locale: 'language', preferredChannel: 'preferred_channel', optOut: 'opt_out', code: 'code' };
export const columnFor = (field: string) => COLUMN_OF[field] ?? field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** How each participant file (but renewals, recorded one by one) is written, and which payers it touches. */
export interface PayerFile<T> {
  spec: Spec<T>;
  count: keyof ParticipantImportReport['loaded'];
  /** The stored item a row writes: within a file, the first row of an item is kept, a later one refused (repeat-guard.ts). */
  rowKey(record: T): ImportedRowKey;
  /** The columns that make that key, as a refused repeat names them. */
  keyColumns: string;
  write(deps: Deps, rows: T[]): Promise<void>;
  /** The payer whose reminders a row changes: scheduled again once its batch is written. */
  payerOf?(record: T): { kind: PayerKind; code: string };
}

/** The participant files written in batches, in load order (renewals come after them). */
export function payerFiles(deps: Deps, today: string): readonly PayerFile<unknown>[] {
  const files = [
    {
      spec: agents, count: 'agents', rowKey: (o) => ({ kind: 'officer', officerId: o.officerId }), keyColumns: 'officer_id',
      write: (d, rows) => d.officers.putOfficers(rows),
    } satisfies PayerFile<Officer>,
    {
      spec: participantsSpec(today, deps), count: 'participants', rowKey: (p) => ({ kind: 'participant', siCode: p.siCode }), keyColumns: 'si_code',
      write: (d, rows) => d.reminders.putParticipants(rows), payerOf: (p) => ({ kind: 'vsi', code: p.siCode }),
    } satisfies PayerFile<Participant>,
    {
      spec: households, count: 'households', rowKey: (h) => ({ kind: 'household', householdCode: h.householdCode }), keyColumns: 'household_code',
      write: (d, rows) => d.reminders.putHouseholds(rows), payerOf: (h) => ({ kind: 'hi', code: h.householdCode }),
    } satisfies PayerFile<Household>,
    {
      spec: cards, count: 'cards', rowKey: (c) => ({ kind: 'hi-card', householdCode: c.householdCode, siCode: c.siCode }), keyColumns: 'household_code and si_code',
      write: (d, rows) => d.reminders.putCards(rows), payerOf: (c) => ({ kind: 'hi', code: c.householdCode }),
    } satisfies PayerFile<HiCard>,
    {
      spec: targets, count: 'targets', rowKey: (t) => ({ kind: 'renewal-target', month: t.month, commune: t.commune, agentId: t.agentId }), keyColumns: 'month, commune and agent_id',
      write: (d, rows) => d.reminders.putTargets(rows),
    } satisfies PayerFile<TargetRecord>,
  ];
  return files as unknown as readonly PayerFile<unknown>[];
}

/** Imports whichever of the participant files the folder holds, then schedules every payer imported. */
export async function importParticipants(dir: string, deps: Deps): Promise<ParticipantImportReport> {
  const store = deps.reminders;
  const today = deps.clock.today();
  const report: ParticipantImportReport = { loaded: { agents: 0, participants: 0, households: 0, cards: 0, renewals: 0, renewalsDuplicate: 0, targets: 0 }, scheduled: 0, errors: [] };
  const touched = new Map<string, { kind: PayerKind; code: string }>();
  const touch = (kind: PayerKind, code: string) => touched.set(`${kind}#${code}`, { kind, code });

  const bucket = new FolderImportBucket(dir);
  for (const file of payerFiles(deps, today) as readonly PayerFile<unknown>[]) {
    const { spec } = file;
    const version = await bucket.stat(spec.file);
    if (!version) continue;
    const writer = new BatchWriter<unknown>((rows) => file.write(deps, rows), (n) => { report.loaded[file.count] += n; });
    // The same rule and provenance as the bucket's import (file-import.ts), with the folder's file as the source.
    const guard = new RepeatGuard(deps, `folder:${join(resolve(dir), spec.file)}@${version.version}`, RepeatGuard.filterFor(version.size), () => writer.end());
    const fail = (line: number, key: string, reason: string) => { report.errors.push({ file: spec.file, line, key, reason }); };
    await readFile(dir, spec, report, async (record, line, row) => {
      const rowKey = file.rowKey(record);
      const repeat = await guard.refusal(rowKey, line, file.keyColumns);
      if (repeat) return fail(line, spec.reportKey(row), repeat);
      if (file.payerOf) {
        const { kind, code } = file.payerOf(record);
        touch(kind, code);
      }
      await writer.add(RepeatGuard.keyOf(rowKey), { ...(record as object), ...guard.provenance(line) });
    });
    await writer.end();
  }

  for (const { kind, code } of touched.values()) {
    if ((await scheduleCycle(deps, kind, code, today))?.next !== undefined) report.scheduled++;
  }

  // Renewals last, one at a time in file order, through the renewal step.
  const renewalsVersion = await bucket.stat(renewals.file);
  const guard = renewalsVersion && new RepeatGuard(deps, `folder:${join(resolve(dir), renewals.file)}@${renewalsVersion.version}`, RepeatGuard.filterFor(renewalsVersion.size));
  await readFile(dir, renewals, report, async (renewal, line, row) => {
    if (!guard) return;
    const repeat = await guard.refusal(renewalKey(renewal), line, RENEWAL_KEY_COLUMNS, 'not recorded');
    if (repeat) return void report.errors.push({ file: renewals.file, line, key: renewals.reportKey(row), reason: repeat });
    try {
      const r = await recordRenewal(deps, { ...renewal, actor: 'import:renewals-file', provenance: guard.provenance(line) });
      report.loaded[r.outcome === 'recorded' ? 'renewals' : 'renewalsDuplicate']++;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      report.errors.push({ file: renewals.file, line, key: renewals.reportKey({ kind: renewal.kind, code: renewal.code, reference: renewal.reference }), reason: 'code is not a known participant or household; not recorded' });
    }
  });
  return report;
}

export function formatParticipantReport(report: ParticipantImportReport, show = 20): string {
  const l = report.loaded;
  const n = report.errors.length;
  const lines = [
    `loaded ${l.agents} collection agents, ${l.participants} participants, ${l.households} households, ${l.cards} HI cards, ${l.targets} renewal targets; ` +
      `${l.renewals} renewals recorded (${l.renewalsDuplicate} already recorded); ${report.scheduled} in the reminder index; ${n} error${n === 1 ? '' : 's'}`,
  ];
  for (const e of report.errors.slice(0, show)) lines.push(`  ${e.file}:${e.line} ${e.key} — ${e.reason}`);
  if (n > show) lines.push(`  ... and ${n - show} more`);
  return lines.join('\n');
}
