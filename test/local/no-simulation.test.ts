import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { parseStartArgs, SAMPLE_AS_OF, UsageError } from '../../local/start-args.ts';
import { Simulation } from '../../local/simulation.ts';
import { openTimeline, TimelineMismatchError } from '../../local/embedded/progress.ts';
import { formatCycleTable, SIMULATION_OFF, type CycleReport } from '../../local/summary.ts';
import { generateDataset } from '../../local/generate.ts';
import { writeParticipantDataset } from '../../local/generate-participants.ts';
import { createTable, startDynalite } from '../../local/embedded/dynalite.ts';
import { LOCAL_TABLE, type LocalStack } from '../../local/embedded/stack.ts';
import type { ArrearsStore } from '../../functions/commons/store.ts';
import type { LocalLambda } from '../../local/embedded/lambda.ts';

/** `npm start -- --no-simulation`: the imported data alone, nothing made up. */

const task = (n: number) => ({ unitCode: 'TD000001', cycle: '2026-11', assignment: { taskId: `t${n}`, officerId: 'cb.a', taskType: 'visit', escalated: false } });

/** A store, the lambdas and the reminder index the simulation writes through, each call counted. */
function recorder() {
  const calls: string[] = [];
  const call = (name: string, result: unknown = {}) => async (..._args: unknown[]) => { calls.push(name); return result; };
  const ledger = {
    unitCode: 'TD000001', hasProfile: true, payments: [],
    periods: [{ unitCode: 'TD000001', period: '2026-10', amountDue: 10_000_000, dueDate: '2026-10-31' }],
  };
  const store = {
    getLedger: call('getLedger', ledger),
    putPayments: call('putPayments'),
    putPeriods: call('putPeriods'),
    scanLedgers: async function* () { calls.push('scanLedgers'); yield ledger; },
  } as unknown as ArrearsStore;
  const stack = {
    lambdas: { smsReplies: call('smsReplies'), emailFeedback: call('emailFeedback'), recordRenewal: call('recordRenewal') },
    reminders: { cyclesEndingIn: call('cyclesEndingIn', []), getPayer: call('getPayer') },
  } as unknown as LocalStack;
  return { calls, store, stack, recordOutcome: call('recordOutcome') as unknown as LocalLambda };
}

function participantsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'participants-'));
  const header = 'si_code,name,date_of_birth,phone,email,commune,agent_id,payment_method,years_ahead,chosen_income,support_group,support_months_used,paid_through,preferred_channel,language,consent,opt_out';
  writeFileSync(join(dir, 'participants.csv'), `${header}\n2700000001,A,2000-01-01,0981000001,,Bắc Sơn,dl.a,monthly,,5000000,other,0,2026-12,sms,vi,true,false\n2700000002,B,2000-01-01,,b@example.vn,Bắc Sơn,dl.a,monthly,,5000000,other,0,2026-12,email,vi,true,false\n`);
  return dir;
}

describe('npm start -- --no-simulation', () => {
  it('the flag is read; not given, the mode is left to the store (a fresh run simulates)', () => {
    expect(parseStartArgs(['--no-simulation'], 'sample').simulation).toBe(false);
    expect(parseStartArgs(['--months', '2', '--no-simulation', '--store', 'x'], 'sample')).toMatchObject({ simulation: false, months: 2 });
    expect(parseStartArgs([], 'sample')).toMatchObject({ simulation: undefined, asOf: SAMPLE_AS_OF, months: 3, seed: 1 });
    // A misspelt flag is not a simulated run on real data: it is refused.
    expect(() => parseStartArgs(['--no-simulate'], 'sample')).toThrow(UsageError);
    expect(() => parseStartArgs(['--as-of', '05/11/2026'], 'sample')).toThrow('--as-of 05/11/2026: write dates as YYYY-MM-DD (for 05/11/2026: 2026-11-05)');
  });

  it('off, the simulation writes nothing and answers nothing; on, the same calls do', async () => {
    for (const enabled of [false, true]) {
      const r = recorder();
      const sim = new Simulation(1, r.store, r.recordOutcome, enabled);
      for (let n = 0; n < 20; n++) sim.officerResponds(task(n), '2026-11-05');
      await sim.settled();
      await sim.monthBetweenRuns('2026-11', '2026-11-02', '2026-12-02');
      await sim.feedback(r.stack, participantsDir());
      const renewed = await sim.renewals(r.stack, '2026-11-20');
      if (!enabled) {
        expect(r.calls).toEqual([]);
        expect(renewed).toBe(0);
        expect(sim.counts.outcomes).toEqual({});
        expect(sim.counts.paymentsInFull + sim.counts.paymentsInPart + sim.counts.paymentsOnTime).toBe(0);
      } else {
        // The control: the same calls with the simulation on reach the store and the lambdas.
        expect(r.calls).toEqual(expect.arrayContaining(['recordOutcome', 'scanLedgers', 'putPeriods', 'smsReplies', 'emailFeedback', 'cyclesEndingIn']));
      }
    }
  });

  it('the store keeps the mode: a continued run keeps it, and a contrary flag is refused', async () => {
    const started = { asOf: '2026-11-02', seed: 1, data: '/data/sample' };
    const off = mkdtempSync(join(tmpdir(), 'timeline-'));
    expect(openTimeline(off, { ...started, simulation: false }).simulation).toBe(false);
    await openTimeline(off, { ...started, simulation: false }).complete('import@x', {}, new Date('2026-11-01T23:00:00Z'));
    const again = openTimeline(off, started);
    expect(again.resumed).toBe(true);
    expect(again.simulation).toBe(false);
    const on = mkdtempSync(join(tmpdir(), 'timeline-'));
    await openTimeline(on, started).complete('import@x', {}, new Date('2026-11-01T23:00:00Z'));
    expect(openTimeline(on, started).simulation).toBe(true);
    expect(() => openTimeline(on, { ...started, simulation: false })).toThrow(TimelineMismatchError);
    // A timeline saved before the flag existed was a simulated run.
    const old = mkdtempSync(join(tmpdir(), 'timeline-'));
    writeFileSync(join(old, 'local-timeline.json'), JSON.stringify({ version: 1, started, done: ['import@x'], clockAt: '2026-11-01T23:00:00.000Z', state: {} }));
    expect(openTimeline(old, started).simulation).toBe(true);
  });

  it('the summary leaves out the simulation rows and says it was off', () => {
    const cycle = { summary: { cycle: '2026-11', asOf: '2026-11-02', unitsScanned: 1, paidUp: 1, delinquent: 0, onHold: 0, underArrangement: 0, byStage: { 'urging-notice': 0, 'officer-visit': 0, inspection: 0 }, byMonthsOverdue: {}, executionsStarted: 0, casesClosed: 0, receivable: 0, arrears: 0, interestOutstanding: 0, debtRatioPercent: 0 }, notices: 0, tasks: { opened: 0, visit: 0, inspection: 0, done: 0, timedOut: 0 }, simulatedOutcomes: {}, executionsFailed: 0, closedByWorkflow: 0, simulatedPayments: { full: 0, part: 0, onTime: 0 } } as unknown as CycleReport;
    const off = formatCycleTable([cycle], { simulation: false });
    expect(off).toContain(SIMULATION_OFF);
    expect(off).not.toContain('[simulation]');
    expect(formatCycleTable([cycle])).toContain('[simulation] payments before next run');
  });

  it('a real run with the flag: no SIM- payment, no simulated answer, renewal, STOP or bounce in the store; the summary says so', async () => {
    const root = mkdtempSync(join(tmpdir(), 'no-sim-'));
    const data = join(root, 'data');
    await generateDataset({ units: 12, seed: 3, asOf: '2026-11-02', months: 12, districts: 1 }, data);
    mkdirSync(join(data, 'participants'), { recursive: true });
    await writeParticipantDataset(join(data, 'participants'), { participants: 16, households: 8, seed: 3, asOf: '2026-11-02' });
    const out = join(root, 'out');
    const store = join(root, 'store');
    // Two cycles: the simulation would pay between them (SIM-…-ONTIME for the units up to date) and post a period.
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'local/start.ts', '--data', data, '--as-of', '2026-11-02', '--months', '2', '--no-simulation', '--out', out, '--store', store], { encoding: 'utf8', timeout: 240_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('simulation off (--no-simulation)');
    expect(run.stdout).toContain(SIMULATION_OFF);
    expect(run.stdout).not.toContain('[simulation]');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { simulation: boolean; cycles: CycleReport[] };
    expect(summary.simulation).toBe(false);
    for (const c of summary.cycles) {
      expect(c.simulatedOutcomes).toEqual({});
      expect(c.simulatedPayments).toEqual({ full: 0, part: 0, onTime: 0 });
    }
    expect(JSON.parse(readFileSync(join(store, 'local-timeline.json'), 'utf8')).started.simulation).toBe(false);

    const dynamo = await startDynalite({ path: store });
    try {
      await createTable(dynamo.client, LOCAL_TABLE);
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await dynamo.doc.send(new ScanCommand({ TableName: LOCAL_TABLE, ExclusiveStartKey: start }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      expect(items.length).toBeGreaterThan(0);
      const text = JSON.stringify(items);
      expect(items.filter((i) => String(i.sk).startsWith('PAYMENT#SIM-'))).toEqual([]);
      expect(text).not.toContain('SIM-');
      expect(text).not.toContain('(simulated)');
      expect(text).not.toContain('[simulation]');
      // No STOP reply or bounce: nothing suppressed.
      expect(items.filter((i) => String(i.pk).startsWith('SUPPRESS#'))).toEqual([]);
      // No period was posted between the cycles: the ledgers end where the import left them.
      expect(items.filter((i) => String(i.sk) === 'PERIOD#2026-11')).toEqual([]);
    } finally {
      await dynamo.close();
    }
  }, 300_000);
});
