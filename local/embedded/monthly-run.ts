import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { monthlyRunDefinition, synthesizeTemplate } from '../../infra/definition.ts';
import type { MonthlyRunSummary } from '../../functions/steps/monthly-run.ts';
import { MONTHLY_RUN_STATE } from '../../workflows/state-names.ts';
import type { LocalLambda } from './lambda.ts';

export interface LocalMonthlyRunOptions {
  /** Replace the segment's invocation (tests fail a segment this way); the monthly-run function by default. */
  classifySegment?: LocalLambda;
  /** Retry waits, in seconds, instead of the definition's (0: at once). */
  retryIntervalSeconds?: number;
}

/**
 * The monthly run as the scheduler starts it in AWS: the synthesized `MonthlyRun` state machine,
 * its plan, Map (one invocation of the monthly-run function per scan segment) and summary steps each
 * calling the same handler. The execution's output is the run's summary.
 */
export async function runMonthlyMachine(monthlyRun: LocalLambda, input: { asOf?: string } = {}, options: LocalMonthlyRunOptions = {}): Promise<MonthlyRunSummary> {
  const machine = new StateMachine(monthlyRunDefinition(synthesizeTemplate()) as never, { validationOptions: { checkPaths: false, checkArn: false } });
  const retries = options.retryIntervalSeconds;
  let summary: MonthlyRunSummary | undefined;
  const execution = machine.run(input, {
    // The execution's id names the run: the run's and its segments' leases are held by it.
    context: { Execution: { Id: `arn:aws:states:ap-southeast-1:000000000000:execution:MonthlyRun:${randomUUID()}` } },
    overrides: {
      taskResourceLocalHandlers: {
        [MONTHLY_RUN_STATE.planRun]: (i: unknown) => monthlyRun(i),
        [MONTHLY_RUN_STATE.classifySegment]: (i: unknown) => (options.classifySegment ?? monthlyRun)(i),
        [MONTHLY_RUN_STATE.summarize]: async (i: unknown) => (summary = (await monthlyRun(i)) as MonthlyRunSummary),
      } as never,
      ...(retries === undefined ? {} : { retryIntervalOverrides: Object.fromEntries(Object.values(MONTHLY_RUN_STATE).map((s) => [s, retries])) }),
    },
  });
  try {
    return (await execution.result) as unknown as MonthlyRunSummary;
  } catch (error) {
    // An incomplete run fails its execution (MonthlyRunIncomplete) after its summary is recorded: that summary says which segments.
    if (summary && !summary.complete) return summary;
    throw error;
  }
}
