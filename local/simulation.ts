import type { z } from 'zod';
import { ledgerStatus } from '../functions/core/ledger.ts';
import { deadlineOf, policyFor } from '../functions/core/policy.ts';
import { addDays, addMonths, periodOf, type IsoDate } from '../functions/core/dates.ts';
import { contributionPeriodSchema, paymentSchema, type ContributionPeriodRecord, type PaymentRecord, type TaskOutcome } from '../functions/commons/records.ts';
import type { ArrearsStore } from '../functions/commons/store.ts';
import type { LocalLambda } from './embedded/lambda.ts';
import { chance } from './random.ts';
import { simulateFeedback, simulateRenewals } from './reminders.ts';
import type { LocalStack } from './embedded/stack.ts';

/**
 * SIMULATION, local run only: stands in for what people do between and during cycles: officers
 * answering their tasks and employers paying. Every choice is a deterministic function of the
 * seed, unit and cycle, so two runs with the same seed tell the same story. Simulated payments
 * carry references starting with SIM-. What it stores goes through the record schemas first, as an
 * import's rows do: a record that fails one (a 0 ₫ payment of a promise on no debt) is not stored,
 * and counted in `refused`.
 *
 * Off (`npm start -- --no-simulation`, `enabled` false): every entry point here does nothing, so the
 * run works on the imported data alone: no payment, officer answer, renewal, STOP reply or bounce is
 * made up, tasks left unanswered run past their due date, and no contribution period is posted.
 */

export type OfficerResponse = TaskOutcome | 'no-response';

const OFFICER_RESPONSES: readonly [OfficerResponse, number][] = [
  ['contacted', 0.25], ['promised-to-pay', 0.2], ['plan-agreed', 0.05], ['paid', 0.15], ['unreachable', 0.1], ['disputed', 0.05], ['no-response', 0.2],
];
// An inspector's outcomes, with "paid" and "no response" at the same odds (and draws) as a visit's.
const INSPECTOR_RESPONSES: readonly [OfficerResponse, number][] = [
  ['plan-agreed', 0.3], ['penalty-proposed', 0.2], ['paid', 0.15], ['closed', 0.15], ['no-response', 0.2],
];

function pick<T>(table: readonly [T, number][], p: number): T {
  let acc = 0;
  for (const [value, weight] of table) {
    acc += weight;
    if (p < acc) return value;
  }
  return table.at(-1)![0];
}

export interface SimulationCounts {
  outcomes: Record<string, number>;
  paymentsInFull: number;
  paymentsInPart: number;
  paymentsOnTime: number;
  /** Records that failed their schema and were not stored, with the first few reasons (no personal data). */
  refused: { payments: number; periods: number; samples: string[] };
  errors: string[];
}

const REFUSED_SAMPLES = 10;

export class Simulation {
  readonly counts: SimulationCounts = { outcomes: {}, paymentsInFull: 0, paymentsInPart: 0, paymentsOnTime: 0, refused: { payments: 0, periods: 0, samples: [] }, errors: [] };
  private pending = new Set<Promise<void>>();
  /** Set for the last cycle of `npm start -- --serve`: new tasks are left for people in the inbox. */
  leaveTasksToStaff = false;

  constructor(
    private readonly seed: number, private readonly store: ArrearsStore, private readonly recordOutcome: LocalLambda,
    /** False with --no-simulation: nothing is simulated (see above). */
    readonly enabled = true,
  ) {}

  /** An officer answers a new task at once (or never: the task then runs past its due date). */
  officerResponds(task: { unitCode: string; cycle: string; assignment: { taskId: string; officerId: string; taskType: string; escalated: boolean } }, today: IsoDate): void {
    if (!this.enabled) return;
    if (this.leaveTasksToStaff) {
      // Unanswered by the simulation: left for a person in the inbox.
      this.counts.outcomes['no-response'] = (this.counts.outcomes['no-response'] ?? 0) + 1;
      return;
    }
    const responses = task.assignment.taskType === 'inspection' ? INSPECTOR_RESPONSES : OFFICER_RESPONSES;
    const response = pick(responses, chance(`${this.seed}|officer|${task.unitCode}|${task.cycle}|${task.assignment.taskId}`));
    this.counts.outcomes[response] = (this.counts.outcomes[response] ?? 0) + 1;
    if (response === 'no-response') return;
    const work = (async () => {
      if (response === 'paid') await this.payDebt(task.unitCode, today, `SIM-${task.cycle}-${task.unitCode}-VISIT`, 'full');
      const terms = response === 'promised-to-pay' || response === 'plan-agreed' ? await this.agree(task, response, today) : {};
      await this.recordOutcome({ taskId: task.assignment.taskId, outcome: response, actor: `${task.assignment.officerId} (simulated)`, ...terms });
    })().catch((error: Error) => { this.counts.errors.push(`${task.unitCode}: ${error.name}`); });
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /**
   * The month between two runs: the agency posts each employer's next contribution period; units
   * that are up to date pay what falls due before the next run, on time; of the late ones some pay
   * everything, some one month's worth, most nothing.
   */
  async monthBetweenRuns(cycle: string, asOf: IsoDate, nextRun: IsoDate): Promise<void> {
    if (!this.enabled) return;
    const policy = policyFor(asOf);
    const newPeriod = addMonths(periodOf(nextRun), -1);
    for await (const ledger of this.store.scanLedgers(0, 1, () => {})) {
      const unitCode = ledger.unitCode;
      const last = ledger.periods.at(-1);
      if (!ledger.hasProfile || !last) continue;
      const late = ledgerStatus(ledger.periods, ledger.payments, asOf, policy).monthsOverdue > 0;
      const p = chance(`${this.seed}|payment|${unitCode}|${cycle}`);
      const paidOn = addDays(asOf, 3 + Math.floor(chance(`${this.seed}|day|${unitCode}|${cycle}`) * 20));
      if (late && p < 0.3) await this.payDebt(unitCode, paidOn, `SIM-${cycle}-${unitCode}-FULL`, 'full');
      else if (late && p < 0.45) await this.payDebt(unitCode, paidOn, `SIM-${cycle}-${unitCode}-PART`, 'oldest-period');
      if (!late || p < 0.3) {
        // Up to date (or just caught up): what falls due before the next run is paid on time.
        const fresh = await this.store.getLedger(unitCode);
        const status = ledgerStatus(fresh.periods, fresh.payments, asOf, policy);
        for (const due of status.periods.filter((x) => x.balance > 0 && !x.overdue && x.dueDate < nextRun)) {
          const onTime = maxDate(addDays(asOf, 1), addDays(due.dueDate, -10));
          if (await this.putPayments([{ unitCode, reference: `SIM-${due.period}-${unitCode}-ONTIME`, paidOn: onTime, amount: due.balance }])) this.counts.paymentsOnTime++;
        }
      }
      if (!ledger.periods.some((x) => x.period === newPeriod)) {
        await this.putPeriods([{ unitCode, period: newPeriod, amountDue: last.amountDue, dueDate: deadlineOf(newPeriod, policy) }]);
      }
    }
  }

  /**
   * The terms of a promise (the whole debt in two weeks) or a plan (three monthly instalments),
   * and whether the unit keeps them: its payments are posted now with their future dates.
   */
  private async agree(task: { unitCode: string; cycle: string; assignment: { taskId: string } }, response: 'promised-to-pay' | 'plan-agreed', today: IsoDate) {
    const ledger = await this.store.getLedger(task.unitCode);
    const { debt } = ledgerStatus(ledger.periods, ledger.payments, today, policyFor(today));
    const p = chance(`${this.seed}|keeps|${task.unitCode}|${task.assignment.taskId}`);
    const ref = `SIM-${task.cycle}-${task.unitCode}`;
    if (response === 'promised-to-pay') {
      const promise = { payBy: addDays(today, 14), amount: debt };
      if (p < 0.6) await this.putPayments([{ unitCode: task.unitCode, reference: `${ref}-PROMISE`, paidOn: addDays(today, 12), amount: debt }]);
      return { promise };
    }
    const part = Math.floor(debt / 3);
    const instalments = [15, 45, 75].map((days, i) => ({ dueDate: addDays(today, days), amount: i === 2 ? debt - 2 * part : part }));
    // Two of three plans are kept to the end; the others stop after the first instalment.
    const kept = p < 0.67 ? instalments : instalments.slice(0, 1);
    await this.putPayments(kept.map((x, i) => ({ unitCode: task.unitCode, reference: `${ref}-PLAN-${i + 1}`, paidOn: x.dueDate, amount: x.amount })));
    return { instalments };
  }

  /** Two participants reply STOP to a reminder SMS and one email address bounces (local/reminders.ts), after the import. */
  async feedback(stack: Pick<LocalStack, 'lambdas'>, participantsDir: string): Promise<void> {
    if (!this.enabled) return;
    await simulateFeedback(stack, participantsDir);
  }

  /** The day's renewals of participants and households around the end of their cover; how many. */
  async renewals(stack: Pick<LocalStack, 'lambdas' | 'reminders'>, day: IsoDate): Promise<number> {
    if (!this.enabled) return 0;
    return simulateRenewals(stack, day, this.seed);
  }

  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }

  private async payDebt(unitCode: string, paidOn: IsoDate, reference: string, how: 'full' | 'oldest-period'): Promise<void> {
    const policy = policyFor(paidOn);
    const ledger = await this.store.getLedger(unitCode);
    const status = ledgerStatus(ledger.periods, ledger.payments, paidOn, policy);
    const oldest = status.periods.find((x) => x.overdue);
    const amount = how === 'full' ? status.debt : (oldest?.balance ?? 0);
    if (amount <= 0) return;
    if (!(await this.putPayments([{ unitCode, reference, paidOn, amount }]))) return;
    if (how === 'full') this.counts.paymentsInFull++;
    else this.counts.paymentsInPart++;
  }

  /** Stores the payments that pass the payment schema; returns how many were stored. */
  private async putPayments(payments: readonly PaymentRecord[]): Promise<number> {
    const valid = this.validated(payments, paymentSchema, 'payments', (p) => `${p.unitCode} ${p.reference}`);
    if (valid.length > 0) await this.store.putPayments(valid);
    return valid.length;
  }

  private async putPeriods(periods: readonly ContributionPeriodRecord[]): Promise<number> {
    const valid = this.validated(periods, contributionPeriodSchema, 'periods', (p) => `${p.unitCode} ${p.period}`);
    if (valid.length > 0) await this.store.putPeriods(valid);
    return valid.length;
  }

  private validated<T>(records: readonly T[], schema: z.ZodType<T>, kind: 'payments' | 'periods', keyOf: (r: T) => string): T[] {
    const valid: T[] = [];
    for (const record of records) {
      const r = schema.safeParse(record);
      if (r.success) {
        valid.push(r.data);
        continue;
      }
      this.counts.refused[kind]++;
      if (this.counts.refused.samples.length < REFUSED_SAMPLES) {
        this.counts.refused.samples.push(`${keyOf(record)}: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      }
    }
    return valid;
  }
}

function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}
