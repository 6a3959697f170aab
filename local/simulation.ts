import { ledgerStatus } from '../functions/core/ledger.ts';
import { policyFor } from '../functions/core/policy.ts';
import { addDays, type IsoDate } from '../functions/core/dates.ts';
import type { TaskOutcome } from '../functions/commons/records.ts';
import type { ArrearsStore } from '../functions/commons/store.ts';
import type { LocalLambda } from './embedded/lambda.ts';

/**
 * SIMULATION, local run only: stands in for what people do between and during cycles: officers
 * answering their tasks and employers paying. Every choice is a deterministic function of the
 * seed, unit and cycle, so two runs with the same seed tell the same story. Simulated payments
 * carry references starting with SIM-.
 */

export type OfficerResponse = TaskOutcome | 'no-response';

const OFFICER_RESPONSES: readonly [OfficerResponse, number][] = [
  ['contacted', 0.3], ['promised-to-pay', 0.2], ['paid', 0.15], ['unreachable', 0.1], ['disputed', 0.05], ['no-response', 0.2],
];

/** A number in [0, 1) from a string key: FNV-1a hash, then one mulberry32 step. */
export function chance(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  let t = (h + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

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
  errors: string[];
}

export class Simulation {
  readonly counts: SimulationCounts = { outcomes: {}, paymentsInFull: 0, paymentsInPart: 0, errors: [] };
  private pending = new Set<Promise<void>>();

  constructor(private readonly seed: number, private readonly store: ArrearsStore, private readonly recordOutcome: LocalLambda) {}

  /** An officer answers a new task at once (or never: the task then runs past its due date). */
  officerResponds(task: { unitCode: string; cycle: string; assignment: { taskId: string; officerId: string } }, today: IsoDate): void {
    const response = pick(OFFICER_RESPONSES, chance(`${this.seed}|officer|${task.unitCode}|${task.cycle}|${task.assignment.taskId}`));
    this.counts.outcomes[response] = (this.counts.outcomes[response] ?? 0) + 1;
    if (response === 'no-response') return;
    const work = (async () => {
      if (response === 'paid') await this.payDebt(task.unitCode, today, `SIM-${task.cycle}-${task.unitCode}-VISIT`, 'full');
      await this.recordOutcome({ taskId: task.assignment.taskId, outcome: response, actor: `${task.assignment.officerId} (simulated)` });
    })().catch((error: Error) => { this.counts.errors.push(`${task.unitCode}: ${error.name}`); });
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /** Between cycles some late employers pay everything, some one month's worth, most nothing. */
  async paymentsAfterCycle(unitCodes: readonly string[], cycle: string, asOf: IsoDate): Promise<void> {
    for (const unitCode of unitCodes) {
      const p = chance(`${this.seed}|payment|${unitCode}|${cycle}`);
      const paidOn = addDays(asOf, 3 + Math.floor(chance(`${this.seed}|day|${unitCode}|${cycle}`) * 20));
      if (p < 0.3) await this.payDebt(unitCode, paidOn, `SIM-${cycle}-${unitCode}-FULL`, 'full');
      else if (p < 0.45) await this.payDebt(unitCode, paidOn, `SIM-${cycle}-${unitCode}-PART`, 'oldest-period');
    }
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
    await this.store.putPayments([{ unitCode, reference, paidOn, amount }]);
    if (how === 'full') this.counts.paymentsInFull++;
    else this.counts.paymentsInPart++;
  }
}
