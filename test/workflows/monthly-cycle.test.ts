import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/embedded/stack.ts';
import { clock } from '../../functions/commons/clock.ts';
import { importFolder } from '../../functions/import/csv-import.ts';
import { ledgerStatus } from '../../functions/core/ledger.ts';
import { policyFor } from '../../functions/core/policy.ts';
import type { RunSummary } from '../../functions/core/run-summary.ts';

/** The monthly run on the sample district, end to end on the local stack, then run again. */
const AS_OF = '2026-11-02';
/** Emails to employers (officers are told about overdue tasks too). */
const toEmployers = () => stack.ses.peek().filter((e) => e.to.every((to) => to.startsWith('ketoan.')));
let stack: LocalStack;
let first: RunSummary;
let expectedDelinquent: string[];

beforeAll(async () => {
  clock.setNow(new Date(`${AS_OF}T06:00:00+07:00`));
  stack = await startLocalStack({ taskTimeoutSeconds: 1 });
  const report = await importFolder('data/sample', stack.store);
  expect(report.errors).toEqual([]);
  const policy = policyFor(AS_OF);
  expectedDelinquent = [];
  for await (const l of stack.store.scanLedgers(0, 1, () => {})) {
    if (ledgerStatus(l.periods, l.payments, AS_OF, policy).monthsOverdue > 0) expectedDelinquent.push(l.unitCode);
  }
  first = (await stack.lambdas.monthlyRun({ asOf: AS_OF })) as RunSummary;
  await stack.sfn.idle();
}, 180_000);
afterAll(() => stack?.close());

describe('monthly cycle on the sample district', () => {
  it('starts one escalation per delinquent unit and sends each one notice', () => {
    expect(first.unitsScanned).toBe(300);
    expect(first.delinquent).toBe(expectedDelinquent.length);
    expect(first.executionsStarted).toBe(expectedDelinquent.length);
    const executions = stack.sfn.list();
    expect(executions.map((e) => e.name).sort()).toEqual(expectedDelinquent.map((u) => `${u}-2026-11`).sort());
    expect(executions.filter((e) => e.status !== 'SUCCEEDED')).toEqual([]);
    const recipients = toEmployers().flatMap((e) => e.to);
    expect(recipients).toHaveLength(expectedDelinquent.length);
    expect(new Set(recipients).size).toBe(expectedDelinquent.length);
  });

  it('a repeated run starts nothing and sends nothing', async () => {
    const again = (await stack.lambdas.monthlyRun({ asOf: AS_OF })) as RunSummary;
    await stack.sfn.idle();
    expect(again).toMatchObject({ executionsStarted: 0, executionsAlreadyStarted: expectedDelinquent.length });
    expect(toEmployers()).toHaveLength(expectedDelinquent.length);
  });

  it('a run resumed after a crash, with its executions lost, still sends no notice twice', async () => {
    // As if the executions had never been recorded: new names for the same units and cycle.
    const { SFNClient, StartExecutionCommand } = await import('@aws-sdk/client-sfn');
    const sfn = new SFNClient({ endpoint: process.env.AWS_ENDPOINT_URL_SFN });
    for (const unitCode of expectedDelinquent.slice(0, 10)) {
      await sfn.send(new StartExecutionCommand({ stateMachineArn: stack.sfn.stateMachineArn, name: `${unitCode}-2026-11-resumed`, input: JSON.stringify({ unitCode, cycle: '2026-11', asOf: AS_OF }) }));
    }
    await stack.sfn.idle();
    expect(toEmployers()).toHaveLength(expectedDelinquent.length);
  });
});
