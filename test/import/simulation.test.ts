import { describe, expect, it } from 'vitest';
import { Simulation } from '../../local/simulation.ts';
import type { ArrearsStore } from '../../functions/commons/store.ts';
import type { PaymentRecord } from '../../functions/commons/records.ts';
import type { LocalLambda } from '../../local/embedded/lambda.ts';

/** The simulation stores what passes the record schemas, as an import does; the rest is counted. */
describe('local simulation', () => {
  it('stores no 0 ₫ payment: a promise on a unit with no debt is refused by the payment schema and counted', async () => {
    const task = (n: number) => ({ unitCode: 'TD000001', cycle: '2026-11', assignment: { taskId: `t${n}`, officerId: 'cb.a', taskType: 'visit', escalated: false } });
    // The first task the seed answers with a promise to pay.
    for (let n = 0; n < 500; n++) {
      const stored: PaymentRecord[] = [];
      const store = {
        getLedger: async () => ({ unitCode: 'TD000001', hasProfile: true, periods: [], payments: [] }),
        putPayments: async (p: PaymentRecord[]) => { stored.push(...p); },
      } as unknown as ArrearsStore;
      const sim = new Simulation(42, store, (async () => ({})) as unknown as LocalLambda);
      sim.officerResponds(task(n), '2026-11-05');
      await sim.settled();
      if (sim.counts.outcomes['promised-to-pay'] !== 1) continue;
      expect(sim.counts.errors).toEqual([]);
      if (stored.length === 0 && sim.counts.refused.payments === 0) continue; // a promise not kept: nothing to store
      expect(stored).toEqual([]);
      expect(sim.counts.refused).toEqual({ payments: 1, periods: 0, samples: ['TD000001 SIM-2026-11-TD000001-PROMISE: amount must be more than zero'] });
      return;
    }
    throw new Error('no task of the seed was answered with a kept promise');
  });
});
