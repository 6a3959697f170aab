import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { createTable, startDynalite, type EmbeddedDynamo } from '../../local/embedded/dynalite.ts';
import { DynamoArrearsStore } from '../../functions/commons/dynamo-store.ts';
import { storePorts, type Ports } from '../../functions/commons/deps.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { ids } from '../../functions/commons/ids.ts';
import type { Mailer } from '../../functions/commons/mailer.ts';
import type { ArrearsStore } from '../../functions/commons/store.ts';
import { policyFor } from '../../functions/core/policy.ts';
import { openTask } from '../../functions/steps/open-task.ts';
import { recordTaskTimeout } from '../../functions/steps/task-timeout.ts';
import { loadOffice } from '../../infra/office-config.ts';

/**
 * An officer's load is what assignment balances on. Whatever happens to tasks (opened, timed out,
 * moved to another officer), with a crash after any store call and the step retried, every
 * officer's load equals their open tasks: on dynalite, the real wire protocol.
 */
const CYCLE = '2026-11';
/** Each run has its own officers, district and units on the one table, so runs never meet. */
const world = (run: number) => ({
  district: `Quận ${run}`,
  officers: ['a', 'b', 'c'].map((x) => `cb.r${run}.${x}`),
  units: [1, 2, 3, 4].map((u) => `L${String(run).padStart(5, '0')}${u}`),
});
const OFFICER_COUNT = 3;
const UNIT_COUNT = 4;
const mailer: Mailer = { send: async () => 'm', sendWithAttachment: async () => 'm' };

let dynamo: EmbeddedDynamo;
let store: DynamoArrearsStore;
beforeAll(async () => {
  dynamo = await startDynalite();
  const tableName = `load-${randomUUID().slice(0, 8)}`;
  await createTable(dynamo.client, tableName);
  store = new DynamoArrearsStore(dynamo.doc, tableName);
});
afterAll(() => dynamo?.close());

class Crash extends Error {}

/** The store, but the `at`-th call (counted from 1) is carried out and then fails, as a process killed after it would. */
function crashingAt(store: ArrearsStore, at: number): ArrearsStore {
  let calls = 0;
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (++calls === at) throw new Crash();
        return result;
      };
    },
  });
}

type Op = { kind: 'open'; unit: number; officer: number } | { kind: 'time-out'; unit: number } | { kind: 'reassign'; unit: number; officer: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('open' as const), unit: fc.nat(UNIT_COUNT - 1), officer: fc.nat(OFFICER_COUNT - 1) }),
  fc.record({ kind: fc.constant('time-out' as const), unit: fc.nat(UNIT_COUNT - 1) }),
  fc.record({ kind: fc.constant('reassign' as const), unit: fc.nat(UNIT_COUNT - 1), officer: fc.nat(OFFICER_COUNT - 1) }),
);

async function run(store: ArrearsStore, w: ReturnType<typeof world>, o: Op, attempt: number) {
  const deps: Ports<'casework' | 'tasks' | 'officers' | 'claims' | 'mailer' | 'clock' | 'policyFor' | 'office' | 'inbox'> = {
    ...storePorts(store), mailer, clock: fixedClock(new Date('2026-11-02T09:00:00+07:00')), policyFor, office: loadOffice(),
    inbox: { taskUrl: (id) => `http://127.0.0.1:8080/inbox/tasks/${id}`, reportUrl: (asOf) => `http://127.0.0.1:8080/inbox/report/${asOf}` },
  };
  const unitCode = w.units[o.unit]!;
  const taskId = ids.caseTask({ unitCode, cycle: CYCLE, type: 'visit', escalated: false });
  const input = { unitCode, cycle: CYCLE, asOf: '2026-11-02' };
  if (o.kind === 'open') {
    const assignment = { assigned: true as const, officerId: w.officers[o.officer]!, taskId, taskType: 'visit' as const, escalated: false, role: 'collector' as const, dueDate: '2026-11-12', timeoutSeconds: 60 };
    await openTask(deps, { ...input, assignment, token: `token-${attempt}` });
  } else if (o.kind === 'time-out') {
    await recordTaskTimeout(deps, { ...input, taskId, escalating: false });
  } else {
    await store.reassignTask(taskId, w.officers[o.officer]!);
  }
}

describe('officer load', () => {
  it('equals each officer\'s open tasks after any sequence of open, time-out and reassign, with a crash after any store call and a retry', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ op, crashAfterCall: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }) }), { minLength: 1, maxLength: 12 }), async (steps) => {
        const w = world(++runs);
        await store.putOfficers(w.officers.map((officerId) => ({ officerId, name: officerId, email: `${officerId}@bhxh.example.vn`, district: w.district, communes: [], role: 'collector' as const, active: true })));
        for (const [i, step] of steps.entries()) {
          if (step.crashAfterCall) {
            const crashed = await run(crashingAt(store, step.crashAfterCall), w, step.op, i).then(() => false, (e: unknown) => { if (e instanceof Crash) return true; throw e; });
            // The step is retried after the crash, as Step Functions' retry or the officer's second click would.
            if (crashed) await run(store, w, step.op, i);
          } else {
            await run(store, w, step.op, i);
          }
        }
        const tasks = (await Promise.all(w.units.map((unitCode) => store.tasksOfCase(unitCode, CYCLE)))).flat();
        const loads = await store.officersInDistrict(w.district);
        for (const officer of loads) {
          const open = tasks.filter((t) => t.status === 'open' && t.officerId === officer.officerId).length;
          expect(officer.openTasks).toBe(open);
          expect(await store.openTaskCount(officer.officerId)).toBe(open);
        }
      }),
      { numRuns: 40 },
    );
  });
});
