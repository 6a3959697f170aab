import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { monthlyRunDefinition, synthesizeTemplate } from '../../infra/definition.ts';
import { clock } from '../../functions/commons/clock.ts';
import type { MonthlyRunSummary } from '../../functions/steps/monthly-run.ts';
import type { RedriveSummary } from '../../functions/steps/redrive-run.ts';
import { MONTHLY_RUN_STATE } from '../../workflows/state-names.ts';
import type { LocalLambda } from './lambda.ts';

export interface LocalMonthlyRunOptions {
  /** Replace the segment's invocation (tests fail a segment this way); the monthly-run function by default. */
  classifySegment?: LocalLambda;
  /** Retry waits, in seconds, instead of the definition's (0: at once). */
  retryIntervalSeconds?: number;
  /**
   * Before each catch-up redrive, what the wait lets happen in AWS: the escalations the run started
   * send their notices within it (locally: wait for them, e.g. `sfn.quiescent()`), so the redrive
   * finds only what failed or was left, never a notice an escalation is sending.
   */
  beforeRedrive?: () => Promise<void>;
  /** Moves the local clock on by the catch-up's wait (the global clock's by default). */
  advanceClock?: (ms: number) => void;
}

export interface MonthlyMachineRun {
  summary: MonthlyRunSummary;
  /** The catch-up's redrives after a complete run (one when nothing was left unsent). */
  redrives: RedriveSummary[];
  /** How the execution failed, if it did: `MonthlyRunIncomplete` (a segment did not finish) or `NoticesPastDeadline` (the catch-up raised). */
  failed?: string;
}

/**
 * The monthly run as the scheduler starts it in AWS: the synthesized `MonthlyRun` state machine,
 * its plan, Map (one invocation of the monthly-run function per scan segment) and summary steps each
 * calling the same handler, then the catch-up of its urging notices (the redrive function). Time
 * compression, as the statement run's: the catch-up's waits do not sleep; the local clock jumps
 * ahead by each wait's seconds (the backoff in the definition) instead.
 */
export async function runMonthlyMachine(
  lambdas: { monthlyRun: LocalLambda; redriveRun: LocalLambda },
  input: { asOf?: string } = {},
  options: LocalMonthlyRunOptions = {},
): Promise<MonthlyMachineRun> {
  const definition = monthlyRunDefinition(synthesizeTemplate()) as { States: Record<string, { Result?: { seconds?: number; next?: number[] } }> };
  const backoff = definition.States[MONTHLY_RUN_STATE.startCatchUp]?.Result;
  const waits = [backoff?.seconds ?? 0, ...(backoff?.next ?? [])];
  const advanceClock = options.advanceClock ?? ((ms: number) => clock.setNow(new Date(clock.now().getTime() + ms)));
  const machine = new StateMachine(definition as never, { validationOptions: { checkPaths: false, checkArn: false } });
  const retries = options.retryIntervalSeconds;
  const { monthlyRun, redriveRun } = lambdas;
  let summary: MonthlyRunSummary | undefined;
  const redrives: RedriveSummary[] = [];
  const execution = machine.run(input, {
    // The execution's id names the run: the run's and its segments' leases are held by it.
    context: { Execution: { Id: `arn:aws:states:ap-southeast-1:000000000000:execution:MonthlyRun:${randomUUID()}` } },
    overrides: {
      taskResourceLocalHandlers: {
        [MONTHLY_RUN_STATE.planRun]: (i: unknown) => monthlyRun(i),
        [MONTHLY_RUN_STATE.classifySegment]: (i: unknown) => (options.classifySegment ?? monthlyRun)(i),
        [MONTHLY_RUN_STATE.summarize]: async (i: unknown) => (summary = (await monthlyRun(i)) as MonthlyRunSummary),
        [MONTHLY_RUN_STATE.redrive]: async (i: unknown) => {
          await options.beforeRedrive?.();
          advanceClock((waits[Math.min(redrives.length, waits.length - 1)] ?? 0) * 1000);
          const redrive = (await redriveRun(i)) as RedriveSummary;
          redrives.push(redrive);
          return redrive;
        },
      } as never,
      waitTimeOverrides: { [MONTHLY_RUN_STATE.waitBeforeRedrive]: 0 },
      ...(retries === undefined ? {} : { retryIntervalOverrides: Object.fromEntries(Object.values(MONTHLY_RUN_STATE).map((s) => [s, retries])) }),
    },
  });
  try {
    await execution.result;
    return { summary: summary!, redrives };
  } catch (error) {
    // An incomplete run fails its execution (MonthlyRunIncomplete) after its summary is recorded:
    // that summary says which segments. A catch-up that raised (NoticesPastDeadline) comes after it too.
    const failed = ((error as Error).cause as Error | undefined)?.name;
    if (summary && (!summary.complete || failed === 'NoticesPastDeadline')) return { summary, redrives, ...(failed ? { failed } : {}) };
    throw error;
  }
}
