import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, addMonths, periodOf, type IsoDate } from '../functions/core/dates.ts';
import { policyFor } from '../functions/core/policy.ts';
import { vsiMonths } from '../functions/core/contribution.ts';
import { clock } from '../functions/commons/clock.ts';
import { awsDeps } from '../functions/commons/deps.ts';
import type { ReminderRunSummary } from '../functions/steps/reminder-run.ts';
import type { RenewalReportSummary } from '../functions/steps/renewal-report.ts';
import type { LocalStack } from './embedded/stack.ts';
import { chance } from './random.ts';
import type { ChannelCost } from '../functions/core/channel-choice.ts';

/**
 * The participant reminders on the local run: the participant files imported, then the daily
 * reminder run on each day of each simulated month (at the times of its schedule, local/embedded/timeline.ts), with participants renewing ([simulation],
 * references SIM-…) and a few STOP replies and bounces, and the renewal report of each month.
 */

export interface ReminderMonth {
  month: string;
  days: number;
  totals: Omit<ReminderRunSummary, 'date' | 'policyVersion' | 'startedAt' | 'finishedAt' | 'sent' | 'costVnd'> & { sms: number; zns: number; email: number; costVnd: ChannelCost };
  simulatedRenewals: number;
  report: RenewalReportSummary;
}

/** Every seventh day the simulated scheduler is late: the run starts at 21:30, in the SMS quiet hours. */
const LATE_EVERY = 7;

/** [simulation] Two participants reply STOP to a reminder SMS; one email address bounces. */
export async function simulateFeedback(stack: Pick<LocalStack, 'lambdas'>, dir: string) {
  const { readFile } = await import('node:fs/promises');
  const rows = (await readFile(join(dir, 'participants.csv'), 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));
  const phones = rows.filter((r) => r[13] === 'sms' && r[3]).slice(0, 2).map((r) => r[3]!);
  const email = rows.find((r) => r[13] === 'email' && r[4])?.[4];
  const sns = (message: unknown) => ({ Records: [{ Sns: { Message: JSON.stringify(message) } }] });
  for (const phone of phones) await stack.lambdas.smsReplies(sns({ originationNumber: phone, destinationNumber: '+84900000000', messageBody: 'Stop' }));
  if (email) await stack.lambdas.emailFeedback(sns({ notificationType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: email }] } }));
}

/** A month of daily reminder runs, before its renewal report. */
export type ReminderMonthRuns = Omit<ReminderMonth, 'report'>;

export function newReminderMonth(month: string): ReminderMonthRuns {
  return {
    month, days: 0, simulatedRenewals: 0,
    totals: { cycles: 0, sms: 0, zns: 0, email: 0, znsFallbacks: 0, costVnd: { sms: 0, zns: 0, email: 0, total: 0 }, deferred: 0, suppressed: 0, unreachable: 0, skipped: 0, alreadySent: 0, inProgress: 0, failed: 0, renewed: 0, lapsed: 0, agentTasks: 0, agentTasksWithoutAgent: 0, unfinished: 0 },
  };
}

/**
 * One day's reminder run at its scheduled time (every seventh day late, at 21:30), then the day's
 * simulated renewals (`simulation.renewals`: none with --no-simulation).
 */
export async function runReminderDay(
  stack: LocalStack, month: ReminderMonthRuns, at: Date, day: IsoDate, simulation: { renewals(stack: LocalStack, day: IsoDate): Promise<number> },
  setClock: (at: Date) => void = (t) => clock.setNow(t),
): Promise<void> {
  month.days++;
  const late = month.days % LATE_EVERY === 0;
  setClock(late ? new Date(`${day}T21:30:00+07:00`) : at);
  const s = (await stack.lambdas.reminderRun({})) as ReminderRunSummary;
  for (const k of Object.keys(month.totals) as (keyof ReminderMonth['totals'])[]) {
    if (k === 'sms' || k === 'zns' || k === 'email') month.totals[k] += s.sent[k];
    else if (k === 'costVnd') for (const c of ['sms', 'zns', 'email', 'total'] as const) month.totals.costVnd[c] += s.costVnd[c];
    else month.totals[k] += s[k];
  }
  month.simulatedRenewals += await simulation.renewals(stack, day);
}

/** The month's renewal report, at its scheduled time (in the month after). */
export async function runRenewalReport(stack: LocalStack, month: ReminderMonthRuns, at: Date, setClock: (at: Date) => void = (t) => clock.setNow(t)): Promise<ReminderMonth> {
  setClock(at);
  const report = (await stack.lambdas.renewalReport({ month: month.month })) as RenewalReportSummary;
  return { ...month, report };
}

/** [simulation] Participants and households renew around the end of their cover: a few each day, deterministically from the seed (local/simulation.ts calls it). */
export async function simulateRenewals(stack: Pick<LocalStack, 'lambdas' | 'reminders'>, day: IsoDate, seed: number): Promise<number> {
  const r = policyFor(day).reminders;
  let renewed = 0;
  for (const month of [addMonths(periodOf(day), -1), periodOf(day), addMonths(periodOf(day), 1)]) {
    for (const cycle of await stack.reminders.cyclesEndingIn(month)) {
      if (cycle.status !== 'open' || day < addDays(cycle.coveredUntil, -16) || day > addDays(cycle.coveredUntil, 45)) continue;
      // Likelier just after a reminder (the -3 and lapse steps), never certain.
      const p = cycle.remindersSent > 0 ? 0.06 : 0.02;
      if (chance(`${seed}|renew|${cycle.kind}|${cycle.code}|${cycle.coveredUntil}|${day}`) >= p) continue;
      const payer = await stack.reminders.getPayer(cycle.kind, cycle.code);
      const reference = `SIM-${cycle.code}-${cycle.coveredUntil}`;
      if (cycle.kind === 'vsi' && payer.participant) {
        const p = payer.participant;
        const months = vsiMonths(p.method, p.yearsAhead, r);
        await stack.lambdas.recordRenewal({ kind: 'vsi', code: cycle.code, reference, paidOn: day, paidThrough: addMonths(p.paidThrough, months), actor: '[simulation] collection point' });
      } else if (cycle.kind === 'hi' && payer.household) {
        const months = r.hi.methodMonths[payer.household.method];
        await stack.lambdas.recordRenewal({ kind: 'hi', code: cycle.code, reference, paidOn: day, expiresOn: endAfter(cycle.coveredUntil, months), actor: '[simulation] collection point' });
      } else continue;
      renewed++;
    }
  }
  return renewed;
}

/** The same day of the month `months` later, at the month's end when the cover ended at one. */
function endAfter(coveredUntil: IsoDate, months: number): IsoDate {
  const next = addMonths(coveredUntil.slice(0, 7), months);
  return addDays(`${addMonths(next, 1)}-01`, -1);
}

const vnd = (n: number) => n.toLocaleString('en-US');

/** The reminders' part of the closing summary: one column per month. */
export function formatReminderTable(months: readonly ReminderMonth[], { simulation = true }: { simulation?: boolean } = {}): string {
  const rows: [string, (m: ReminderMonth) => string][] = [
    ['daily reminder runs', (m) => String(m.days)],
    ['  cycles found in the index', (m) => String(m.totals.cycles)],
    ['  SMS / Zalo ZNS / emails sent', (m) => `${m.totals.sms} / ${m.totals.zns} / ${m.totals.email}`],
    ['  ZNS refused, sent by SMS instead', (m) => String(m.totals.znsFallbacks)],
    ['  estimated cost SMS / ZNS / email (VND)', (m) => `${vnd(m.totals.costVnd.sms)} / ${vnd(m.totals.costVnd.zns)} / ${vnd(m.totals.costVnd.email)}`],
    ['  estimated cost, total (VND)', (m) => vnd(m.totals.costVnd.total)],
    ['  SMS deferred (quiet hours)', (m) => String(m.totals.deferred)],
    ['  suppressed (STOP, bounce)', (m) => String(m.totals.suppressed)],
    ['  no channel (no consent, opted out)', (m) => String(m.totals.unreachable)],
    ['  already sent (rerun, nothing twice)', (m) => String(m.totals.alreadySent)],
    ['  steps skipped (overtaken, past catch-up)', (m) => String(m.totals.skipped)],
    ['  stopped by a renewal', (m) => String(m.totals.renewed)],
    ['  lapsed / agent visits opened', (m) => `${m.totals.lapsed} / ${m.totals.agentTasks}`],
    ['[simulation] renewals', (m) => String(m.simulatedRenewals)],
    ['renewal report (cover ending in month)', (m) => m.month],
    ['  due / reminded / renewed / lapsed', (m) => `${m.report.total.due} / ${m.report.total.reminded} / ${m.report.total.renewed} / ${m.report.total.lapsed}`],
    ['  renewal rate', (m) => `${m.report.total.renewalRatePercent.toFixed(1)}%`],
  ];
  const header = ['participant reminders', ...months.map((m) => m.month)];
  const table = [header, ...rows.filter(([label]) => simulation || !label.startsWith('[simulation]')).map(([label, get]) => [label, ...months.map(get)])];
  const widths = header.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  const text = table.map((r, ri) => {
    const line = r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
    return ri === 0 ? `${line}\n${'-'.repeat(line.length)}` : line;
  }).join('\n');
  const last = months.at(-1);
  if (!last) return text;
  const byCommune = last.report.rows.map((row) => `  ${row.commune.padEnd(10)} ${row.agentId.padEnd(18)} due ${String(row.due).padStart(3)}  renewed ${String(row.renewed).padStart(3)}  lapsed ${String(row.lapsed).padStart(3)}  rate ${row.renewalRatePercent.toFixed(1).padStart(5)}%  target ${row.targetPercent === null ? '  -' : `${row.targetPercent}%`}${row.gapPoints === null ? '' : `  (${row.gapPoints >= 0 ? '+' : ''}${row.gapPoints})`}`);
  return `${text}\n\nRenewals of cover ending in ${last.month}, per commune and collection agent (* = commune total), against targets:\n${byCommune.join('\n')}`;
}
