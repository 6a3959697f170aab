import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { startLocalStack, type LocalStack } from '../../local/embedded/stack.ts';
import { clock } from '../../functions/commons/clock.ts';
import type { Officer } from '../../functions/commons/records.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { deadlineOf, POLICY_VERSIONS } from '../../functions/core/policy.ts';

/**
 * The staff's world for the API and inbox tests: a district of two teams, units two months
 * behind, and their escalations started on the local stack (the synthesized workflow), each
 * waiting on a collector's visit task. Nothing moves them but what the test does.
 */
export const CYCLE = '2026-11';
export const AS_OF = '2026-11-02';
const policy = POLICY_VERSIONS.at(-1)!;

export const STAFF: Officer[] = [
  { officerId: 'cb.tran.thi.b', name: 'Trần Thị B', email: 'b@bhxh.example.vn', district: 'Tam Điệp', communes: ['Bắc Sơn'], role: 'collector', active: true, teamLeadId: 'tl.vo.van.d' },
  { officerId: 'cb.ngo.van.e', name: 'Ngô Văn E', email: 'e@bhxh.example.vn', district: 'Tam Điệp', communes: ['Nam Sơn'], role: 'collector', active: true, teamLeadId: 'tl.vo.van.d' },
  { officerId: 'cb.le.thi.g', name: 'Lê Thị G', email: 'g@bhxh.example.vn', district: 'Tam Điệp', communes: ['Trung Sơn'], role: 'collector', active: true, teamLeadId: 'tl.dinh.van.h' },
  { officerId: 'tl.vo.van.d', name: 'Võ Văn D', email: 'd@bhxh.example.vn', district: 'Tam Điệp', communes: [], role: 'team-lead', active: true },
  { officerId: 'tl.dinh.van.h', name: 'Đinh Văn H', email: 'h@bhxh.example.vn', district: 'Tam Điệp', communes: [], role: 'team-lead', active: true },
];

export interface WorldUnit { unitCode: string; name: string; commune: string }

/** Starts the local stack with the staff and the units, and waits until every unit's visit task is open. */
export async function startStaffWorld(units: readonly WorldUnit[], extraStaff: readonly Officer[] = []): Promise<LocalStack> {
  clock.setNow(new Date(`${AS_OF}T09:00:00+07:00`));
  let opened = 0;
  let allOpened: () => void = () => {};
  const tasksOpen = new Promise<void>((resolve) => { allOpened = resolve; });
  // Tasks wait far longer than a test takes.
  const stack = await startLocalStack({ taskTimeoutSeconds: 600, onTaskOpened: () => { if (++opened === units.length) allOpened(); } });
  await stack.store.putOfficers([...STAFF, ...extraStaff]);
  // Their sign-in accounts, as an import of the roster makes them (the local sign-in accepts only those).
  await stack.lambdas.rosterSync({ officerIds: [...STAFF, ...extraStaff].map((o) => o.officerId) });
  for (const unit of units) await seedUnit(stack, unit);
  const sfn = new SFNClient({ endpoint: process.env.AWS_ENDPOINT_URL_SFN });
  for (const { unitCode } of units) {
    await sfn.send(new StartExecutionCommand({ stateMachineArn: stack.sfn.stateMachineArn, name: `${unitCode}-${CYCLE}`, input: JSON.stringify({ unitCode, cycle: CYCLE, asOf: AS_OF }) }));
  }
  await tasksOpen;
  return stack;
}

async function seedUnit(stack: LocalStack, { unitCode, name, commune }: WorldUnit) {
  await stack.store.putEmployers([{ unitCode, name, taxCode: '2700123456', district: 'Tam Điệp', commune, email: `${unitCode.toLowerCase()}@example.vn`, phone: '0912345678', locale: 'vi' }]);
  const periods = Array.from({ length: 6 }, (_, i) => addMonths('2026-04', i));
  await stack.store.putPeriods(periods.map((period) => ({ unitCode, period, amountDue: 20_000_000, dueDate: deadlineOf(period, policy) })));
  // Two months behind: a collector's visit task opens and waits.
  await stack.store.putPayments(periods.slice(0, 4).map((period) => ({ unitCode, reference: `UNC-${unitCode}-${period}`, paidOn: deadlineOf(period, policy), amount: 20_000_000 })));
}

/** A unit's escalation of the cycle. */
export const executionOf = (stack: LocalStack, unitCode: string) => stack.sfn.list().find((e) => e.name === `${unitCode}-${CYCLE}`)!;
