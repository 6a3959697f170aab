import { addDays, type IsoDate } from './dates.ts';
import type { Channel, ReminderStep, RemindersPolicy } from './reminder-policy.ts';

/**
 * When each reminder of a cycle is due, what the daily run does on a date, which channels reach a
 * participant, and SMS quiet hours. A cycle is one stretch of cover, named by its last day
 * (`coveredUntil`); a renewal starts the next cycle. Pure.
 */

export type ReminderAction =
  | { kind: 'step'; step: ReminderStep; date: IsoDate }
  | { kind: 'agent-task'; date: IsoDate };

/** Every action of a cycle, by date: the reminder steps, then the agent's follow-up visit. */
export function actionsOf(coveredUntil: IsoDate, policy: RemindersPolicy): ReminderAction[] {
  const steps: ReminderAction[] = policy.steps.map((step) => ({ kind: 'step', step, date: addDays(coveredUntil, step.offsetDays) }));
  return [...steps, { kind: 'agent-task', date: agentFollowUpOn(coveredUntil, policy) }];
}

/** The first day without cover. */
export const lapseOn = (coveredUntil: IsoDate): IsoDate => addDays(coveredUntil, 1);

/** The day the collection agent's visit is opened for a cycle still not renewed. */
export function agentFollowUpOn(coveredUntil: IsoDate, policy: RemindersPolicy): IsoDate {
  return addDays(lapseOn(coveredUntil), policy.agentFollowUp.afterLapseDays);
}

/**
 * What the run does for a cycle on `today`: the latest reminder step due (a missed one within the
 * catch-up window; an earlier step it has overtaken is not sent any more: one message, the current
 * one), and the agent's task once its day has come (whenever the run sees it: it is opened once).
 */
export function dueActions(coveredUntil: IsoDate, today: IsoDate, policy: RemindersPolicy): ReminderAction[] {
  const oldest = addDays(today, -policy.catchUpDays);
  const actions = actionsOf(coveredUntil, policy);
  const latestStep = actions.filter((a) => a.kind === 'step' && a.date <= today).at(-1);
  const out: ReminderAction[] = [];
  if (latestStep && latestStep.date >= oldest) out.push(latestStep);
  const task = actions.find((a) => a.kind === 'agent-task')!;
  if (task.date <= today) out.push(task);
  return out;
}

/**
 * The steps of a cycle falling between the day it was indexed for and today that the run does not
 * send: overtaken by a later step, or older than the catch-up days. Counted, so a missed day shows.
 */
export function skippedSteps(coveredUntil: IsoDate, indexedOn: IsoDate, today: IsoDate, policy: RemindersPolicy): ReminderStep[] {
  const sent = new Set(dueActions(coveredUntil, today, policy).flatMap((a) => (a.kind === 'step' ? [a.step.id] : [])));
  return actionsOf(coveredUntil, policy).flatMap((a) => (a.kind === 'step' && a.date >= indexedOn && a.date <= today && !sent.has(a.step.id) ? [a.step] : []));
}

/** The first action date strictly after `after`, or undefined when the cycle has none left. */
export function nextReminderOn(coveredUntil: IsoDate, after: IsoDate, policy: RemindersPolicy): IsoDate | undefined {
  return actionsOf(coveredUntil, policy).find((a) => a.date > after)?.date;
}

/**
 * Where a cycle goes in the reminder index when it is (re)scheduled on `today` (an import, a
 * renewal): today if something is due today, else its next action date; undefined when nothing
 * is left to do.
 */
export function firstReminderOn(coveredUntil: IsoDate, today: IsoDate, policy: RemindersPolicy): IsoDate | undefined {
  return dueActions(coveredUntil, today, policy).length > 0 ? today : nextReminderOn(coveredUntil, today, policy);
}

/** How a participant can be reached today, and how they prefer to be. */
export interface Reach {
  preferred: Channel;
  /** Has a phone, consented, not opted out (flag or STOP reply). */
  sms: boolean;
  /** Has an email address, consented, not suppressed (bounce or complaint). */
  email: boolean;
}

/** The channels a step goes by: the preferred one (else the other) or all that reach; none when none does. */
export function channelsFor(step: ReminderStep, reach: Reach): Channel[] {
  const reachable = step.channels.filter((c) => reach[c]);
  if (step.delivery === 'all') return reachable;
  if (reachable.includes(reach.preferred)) return [reach.preferred];
  return reachable.slice(0, 1);
}

/** Minutes after local midnight of an instant, in a time zone. */
export function localMinutes(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return get('hour') * 60 + get('minute');
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether an instant falls in the SMS quiet hours (start included, end excluded; the span may cross midnight). */
export function inQuietHours(instant: Date, timeZone: string, policy: RemindersPolicy): boolean {
  const now = localMinutes(instant, timeZone);
  const start = minutesOf(policy.quietHours.start);
  const end = minutesOf(policy.quietHours.end);
  if (start === end) return false;
  return start < end ? now >= start && now < end : now >= start || now < end;
}
