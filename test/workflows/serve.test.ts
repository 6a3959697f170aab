import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { startLocalStack, type LocalStack } from '../../local/embedded/stack.ts';
import { clock } from '../../functions/commons/clock.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { deadlineOf, POLICY_VERSIONS } from '../../functions/core/policy.ts';
import { STATE } from '../../workflows/state-names.ts';

/**
 * What `npm start -- --serve` relies on: the cycles before the last run with compressed task
 * timeouts, then the last cycle's tasks wait for people (a long timeout for executions started
 * from then on), and the run goes on once every execution is either done or waiting on a task.
 */
const policy = POLICY_VERSIONS.at(-1)!;
const CYCLE = '2026-11';
const AS_OF = '2026-11-02';
let stack: LocalStack;

async function seedUnit(unitCode: string) {
  await stack.store.putEmployers([{ unitCode, name: `Công ty ${unitCode}`, taxCode: '2700123456', district: 'Tam Điệp', commune: 'Bắc Sơn', email: 'a@example.vn', phone: '0912345678', locale: 'vi' }]);
  const periods = Array.from({ length: 6 }, (_, i) => addMonths('2026-04', i));
  await stack.store.putPeriods(periods.map((period) => ({ unitCode, period, amountDue: 20_000_000, dueDate: deadlineOf(period, policy) })));
  await stack.store.putPayments(periods.slice(0, 4).map((period) => ({ unitCode, reference: `UNC-${unitCode}-${period}`, paidOn: deadlineOf(period, policy), amount: 20_000_000 })));
}

const start = (unitCode: string) => new SFNClient({ endpoint: process.env.AWS_ENDPOINT_URL_SFN }).send(new StartExecutionCommand({
  stateMachineArn: stack.sfn.stateMachineArn, name: `${unitCode}-${CYCLE}`, input: JSON.stringify({ unitCode, cycle: CYCLE, asOf: AS_OF }),
}));
const execution = (unitCode: string) => stack.sfn.list().find((e) => e.name === `${unitCode}-${CYCLE}`)!;

beforeAll(async () => {
  clock.setNow(new Date(`${AS_OF}T09:00:00+07:00`));
  stack = await startLocalStack({ taskTimeoutSeconds: 1 });
  await stack.store.putOfficers([{ officerId: 'cb.tran.thi.b', name: 'Trần Thị B', email: 'b@bhxh.example.vn', district: 'Tam Điệp', communes: ['Bắc Sơn'], role: 'collector', active: true }]);
  await seedUnit('SRVA0001');
  await seedUnit('SRVB0001');
}, 120_000);
afterAll(() => stack?.close());

describe('serve mode on the local stack', () => {
  it('times a task out after the compressed timeout, then keeps the next ones waiting for people', async () => {
    await start('SRVA0001');
    await stack.sfn.idle();
    expect(execution('SRVA0001').path).toContain(STATE.recordTaskTimeout);

    stack.setTaskTimeoutSeconds(600);
    await start('SRVB0001');
    await stack.sfn.quiescent();
    expect(execution('SRVB0001').status).toBe('RUNNING');
    expect((await stack.store.getTask(`SRVB0001-${CYCLE}-visit`))?.status).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(execution('SRVB0001').status).toBe('RUNNING');
    expect(execution('SRVB0001').path).not.toContain(STATE.recordTaskTimeout);
  });
});
