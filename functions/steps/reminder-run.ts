import { NO_WORKFLOW_TOKEN } from '../commons/records.ts';
import { deliverOnce } from './deliver-once.ts';
import { createHash } from 'node:crypto';
import { addDays, type IsoDate } from '../core/dates.ts';
import type { Channel, ReminderStep } from '../core/reminder-policy.ts';
import { channelsFor, dueActions, inQuietHours, lapseOn, nextReminderOn, skippedSteps } from '../core/reminder-schedule.ts';
import { renderReminder } from '../core/reminder-notice.ts';
import { reminderRunMetrics } from '../core/metric-points.ts';
import { logger } from '../commons/logger.ts';
import { emitMetrics } from '../commons/metrics.ts';
import { type Ports } from '../commons/deps.ts';
import { ids } from '../commons/ids.ts';
import type { CycleRef, DueCycleRef } from '../commons/reminder-store.ts';
import { addressHash } from '../commons/sms-sender.ts';
import { payerView, recipientOf, type PayerView } from './schedule-cycle.ts';
import { withRunLease, type RunLeaseOptions } from '../commons/run-lease.ts';
import { estimatedCost, phoneRoute, znsParams, type ChannelCost } from '../core/channel-choice.ts';
import { sendPhoneMessage } from './phone-message.ts';

export interface ReminderRunInput {
  /** The run date; by default today in the office's time zone. */
  asOf?: IsoDate | undefined;
}

export interface ReminderRunSummary {
  date: IsoDate;
  policyVersion: string;
  /** Cycles found in the reminder index with something due by today (missed days included). */
  cycles: number;
  /** Messages sent, by the channel that delivered them (a Zalo user's phone reminder: ZNS, or SMS when ZNS refused it). */
  sent: { sms: number; zns: number; email: number };
  /** Phone reminders ZNS refused for good (no Zalo, OA blocked...) that went by SMS instead. */
  znsFallbacks: number;
  /** The estimated cost of what was sent, whole dong: messages × the policy's price of each channel (SMS per segment). */
  costVnd: ChannelCost;
  /** SMS held back by the quiet hours: the cycle stays in the index, the next run sends them. */
  deferred: number;
  /** A channel that could not be used: SMS opted out by a STOP reply, email bounced or complained. */
  suppressed: number;
  /** Participants with no channel left (no consent, opted out, nothing reachable): the agent follows up. */
  unreachable: number;
  /** Steps not sent: overtaken by a later step, or older than the catch-up days (the run did not happen). */
  skipped: number;
  alreadySent: number;
  inProgress: number;
  failed: number;
  /** Cycles found renewed since they were indexed: nothing sent. */
  renewed: number;
  lapsed: number;
  agentTasks: number;
  agentTasksWithoutAgent: number;
  /** Cycles not started because the invocation ran out of time: still in the index, the next hourly run takes them. */
  unfinished: number;
  startedAt: string;
  finishedAt: string;
}

const IN_FLIGHT = 8;
/** No new cycle is started with less time than this left: the cycles in flight finish, the rest wait for the next hourly run. */
const STOP_MARGIN_MS = 60_000;

export interface ReminderRunOptions extends RunLeaseOptions {
  /** The invocation's time left (Lambda's); unbounded when absent. */
  timeLeftMs?: (() => number) | undefined;
}

/**
 * The daily reminder run. It reads only the reminder index (the cycles with something due by
 * today, however long ago), and for each cycle: re-reads the participant (consistent), sends the step due
 * today by the channels that reach them, each channel claimed first (a rerun sends nothing twice),
 * holds SMS back in the quiet hours, marks the lapse, opens the collection agent's visit once its
 * day has come, and moves the cycle to its next date in the index (or out of it).
 */
export function runReminders(deps: Ports<'reminders' | 'claims' | 'tasks' | 'officers' | 'runs' | 'mailer' | 'sms' | 'zns' | 'clock' | 'office' | 'policyFor'>, input: ReminderRunInput, options: ReminderRunOptions = {}): Promise<ReminderRunSummary> {
  const today = input.asOf ?? deps.clock.today();
  // The hourly reruns follow one another; a second delivery of the same firing is refused.
  // Its lease lasts Lambda's longest timeout (this function's); the time left paces the cycles alone.
  return withRunLease(deps, { name: 'reminder', scope: today, kind: 'REMINDERS' }, { runId: options.runId }, () => reminders(deps, today, options));
}

async function reminders(deps: Ports<'reminders' | 'claims' | 'tasks' | 'officers' | 'runs' | 'mailer' | 'sms' | 'zns' | 'clock' | 'office' | 'policyFor'>, today: IsoDate, options: ReminderRunOptions): Promise<ReminderRunSummary> {
  const store = deps.reminders;
  const startedAt = deps.clock.now().toISOString();
  const policy = deps.policyFor(today);
  const r = policy.reminders;
  let smsSegments = 0;
  const s: Omit<ReminderRunSummary, 'date' | 'policyVersion' | 'startedAt' | 'finishedAt' | 'costVnd'> = {
    cycles: 0, sent: { sms: 0, zns: 0, email: 0 }, znsFallbacks: 0, deferred: 0, suppressed: 0, unreachable: 0, skipped: 0, alreadySent: 0, inProgress: 0, failed: 0,
    renewed: 0, lapsed: 0, agentTasks: 0, agentTasksWithoutAgent: 0, unfinished: 0,
  };

  // Everything due up to today, however many days ago: a scheduler that stopped for a month misses nothing.
  const refs = await store.cyclesDueBy(today);
  s.cycles = refs.length;

  // A few hundred agents serve every participant: each is read once per run, not once per message.
  const agents = new Map<string, ReturnType<typeof deps.officers.getOfficer>>();
  const agentOf = (officerId: string) => {
    // A failed read is not kept: the next cycle of that agent reads again.
    if (!agents.has(officerId)) agents.set(officerId, deps.officers.getOfficer(officerId).catch((error: unknown) => { agents.delete(officerId); throw error; }));
    return agents.get(officerId)!;
  };

  const processCycle = async (ref: DueCycleRef) => {
    const records = await store.getPayer(ref.kind, ref.code);
    const view = payerView(records, r);
    const cycle = records.cycles.find((c) => c.coveredUntil === ref.coveredUntil);
    // Renewed (or gone) since it was indexed: nothing more for this cycle.
    if (!view || !cycle || cycle.status === 'renewed' || view.due.coveredUntil !== ref.coveredUntil) {
      s.renewed++;
      await store.setNextReminder(ref, undefined);
      return;
    }
    if (today >= lapseOn(ref.coveredUntil) && !cycle.lapsedOn) {
      await store.markLapsed(ref, lapseOn(ref.coveredUntil));
      s.lapsed++;
    }
    s.skipped += skippedSteps(ref.coveredUntil, ref.nextReminderOn, today, r).length;
    let retryToday = false;
    let agentPending = false;
    for (const action of dueActions(ref.coveredUntil, today, r)) {
      if (action.kind === 'step') retryToday = (await sendStep(ref, view, action.step)) || retryToday;
      else if (!cycle.agentTaskId) agentPending = !(await openAgentTask(ref, view));
    }
    // A visit that found no active agent is tried again each day until someone is assigned.
    const next = retryToday ? today : agentPending ? addDays(today, 1) : nextReminderOn(ref.coveredUntil, today, r);
    await store.setNextReminder(ref, next);
  };

  /** Sends one step by each channel that reaches the participant; true when something must be tried again later. */
  const sendStep = async (ref: CycleRef, view: PayerView, step: ReminderStep): Promise<boolean> => {
    const reach = {
      preferred: view.preferred,
      sms: view.consent && !view.optOut && view.phone !== undefined && !(await store.isSuppressed('sms', addressHash('sms', view.phone))),
      email: view.consent && !view.optOut && view.email !== undefined && !(await store.isSuppressed('email', addressHash('email', view.email))),
    };
    const blocked = (view.phone !== undefined && view.consent && !view.optOut && !reach.sms) || (view.email !== undefined && view.consent && !view.optOut && !reach.email);
    if (blocked) s.suppressed++;
    const channels = channelsFor(step, reach);
    if (channels.length === 0) {
      s.unreachable++;
      return false;
    }
    let retry = false;
    for (const channel of channels) retry = (await sendOne(ref, view, step, channel)) || retry;
    return retry;
  };

  const sendOne = async (ref: CycleRef, view: PayerView, step: ReminderStep, channel: Channel): Promise<boolean> => {
    if (channel === 'sms' && inQuietHours(deps.clock.now(), policy.timeZone, r)) {
      s.deferred++;
      return true;
    }
    let renewed = false;
    const result = await deliverOnce(deps, policy, { message: 'reminder', cycle: ref, step: step.id, channel }, r.claimStaleAfterMinutes, async () => {
      // Re-read right before sending: a renewal recorded meanwhile stops the reminder.
      const fresh = await store.getCycle(ref);
      if (!fresh || fresh.status === 'renewed') {
        renewed = true;
        return { skip: 'notNeeded' };
      }
      const agent = await agentOf(view.agentId);
      const message = renderReminder(recipientOf(view, { name: agent?.name ?? '', phone: agent?.phone }), step, view.due, today, r, deps.office);
      const sha = (content: string) => createHash('sha256').update(content).digest('hex');
      if (channel === 'email') {
        return {
          send: (claim) => deps.mailer.send({ from: deps.office.email.reminders, to: view.email!, subject: message.subject, body: message.body, claim }),
          evidence: { contentSha256: sha(`${message.subject}\n${message.body}`) },
        };
      }
      // The phone's message: by ZNS first for a Zalo user (the policy's template for this step and locale), else SMS.
      const route = phoneRoute({ zalo: view.zalo, locale: view.locale }, step.template, policy.channels);
      const smsEvidence = { contentSha256: sha(message.sms), segments: message.smsSegments };
      return {
        send: async (claim) => {
          const sent = await sendPhoneMessage(deps, claim, route, {
            sms: { to: view.phone!, text: message.sms, senderId: deps.office.sms.senderId, claim },
            params: route.first === 'zns' ? znsParams(route.template, message.facts) : undefined,
          });
          // What the claim records of the SMS (its text's hash, its segments) only when SMS delivered it.
          return sent.evidence?.deliveredBy === 'sms' ? { ...sent, evidence: { ...smsEvidence, ...sent.evidence } } : sent;
        },
      };
    });
    switch (result.delivery) {
      case 'sent': {
        const by = channel === 'sms' ? (result.evidence?.deliveredBy ?? 'sms') : channel;
        await store.countSent(ref, by);
        s.sent[by]++;
        if (by === 'sms') smsSegments += result.evidence?.segments ?? 1;
        if (result.evidence?.znsRefused) s.znsFallbacks++;
        return false;
      }
      case 'alreadySent': s.alreadySent++; return false;
      case 'notNeeded': if (renewed) s.renewed++; return false;
      // Another worker's fresh claim, or nothing went out: the cycle stays in today's index for the next run.
      case 'inProgress': s.inProgress++; return true;
      default:
        s.failed++;
        return result.delivery === 'failed' || result.delivery === 'pending';
    }
  };

  /** Opens the agent's visit; false when there is no active agent to give it to. */
  const openAgentTask = async (ref: CycleRef, view: PayerView): Promise<boolean> => {
    const agent = await agentOf(view.agentId);
    if (!agent || !agent.active) {
      s.agentTasksWithoutAgent++;
      logger.warn('No active collection agent for a lapsed participant', { kind: ref.kind });
      return false;
    }
    const taskId = ids.renewalVisit(ref);
    const at = deps.clock.now().toISOString();
    await deps.tasks.createTask({
      taskId, unitCode: ref.code, cycle: ref.coveredUntil.slice(0, 7), type: 'renewal-visit', escalated: false, role: 'collection-agent', officerId: agent.officerId,
      district: agent.district, status: 'open', dueDate: addDays(today, r.agentFollowUp.dueDays), createdAt: at,
      // A plain task: no workflow waits on it (the agent's outcome, or a renewal, closes it).
      token: NO_WORKFLOW_TOKEN,
    });
    await store.setAgentTask(ref, taskId);
    s.agentTasks++;
    return true;
  };

  const inFlight = new Set<Promise<void>>();
  for (const [i, ref] of refs.entries()) {
    if (options.timeLeftMs && options.timeLeftMs() < STOP_MARGIN_MS) {
      s.unfinished = refs.length - i;
      logger.warn('Reminder run out of time: the rest waits for the next run', { unfinished: s.unfinished });
      break;
    }
    const p = processCycle(ref).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);

  const summary: ReminderRunSummary = {
    date: today, policyVersion: policy.version, ...s, costVnd: estimatedCost(s.sent, policy.channels.priceVnd, smsSegments), startedAt, finishedAt: deps.clock.now().toISOString(),
  };
  // One record per run: the hourly reruns of a day do not overwrite the morning's figures.
  await deps.runs.putRunSummary(today, { ...summary }, `REMINDERS#${startedAt}`);
  emitMetrics(reminderRunMetrics(s));
  // Counts only: no participant, code, name or address.
  logger.info('Reminder run finished', { date: today, cycles: s.cycles, sms: s.sent.sms, zns: s.sent.zns, email: s.sent.email, costVnd: summary.costVnd.total, deferred: s.deferred, agentTasks: s.agentTasks, unfinished: s.unfinished });
  return summary;
}
