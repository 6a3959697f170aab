import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { statementRunDefinition, synthesizeTemplate } from '../../infra/definition.ts';
import { clock } from '../../functions/commons/clock.ts';
import { combineStatementRuns, type StatementRunSummary } from '../../functions/steps/statement-run.ts';
import type { RedriveSummary } from '../../functions/steps/redrive-run.ts';
import { STATEMENT_RUN_STATE } from '../../workflows/state-names.ts';
import type { LocalLambda } from './lambda.ts';

export interface StatementMachineRun {
  statements: StatementRunSummary;
  /** The catch-up's redrives after the segments (none when nothing was left unsent). */
  redrives: RedriveSummary[];
}

/**
 * The statement run as the scheduler starts it in AWS: the synthesized `StatementRun` state
 * machine, its Map calling the statement function once per scan segment, then its catch-up. The
 * segments' summaries (which the machine discards) are gathered here into one for the closing
 * summary. Time compression: the catch-up's wait does not sleep; the local clock jumps ahead by
 * its seconds instead, so the claims a dead segment left are as old as they would be in AWS.
 */
export async function runStatementMachine(
  lambdas: { statementRun: LocalLambda; redriveRun: LocalLambda },
  advanceClock: (ms: number) => void = (ms) => clock.setNow(new Date(clock.now().getTime() + ms)),
): Promise<StatementMachineRun> {
  const parts: StatementRunSummary[] = [];
  const redrives: RedriveSummary[] = [];
  const definition = statementRunDefinition(synthesizeTemplate()) as { States: Record<string, { Seconds?: number }> };
  const waitSeconds = definition.States[STATEMENT_RUN_STATE.waitBeforeRedrive]?.Seconds ?? 0;
  const machine = new StateMachine(definition as never, { validationOptions: { checkPaths: false, checkArn: false } });
  // The execution's id names the run: its segments' leases are held by it (functions/commons/run-lease.ts).
  const execution = machine.run({}, {
    context: { Execution: { Id: localExecutionId() } },
    overrides: {
      waitTimeOverrides: { [STATEMENT_RUN_STATE.waitBeforeRedrive]: 0 },
      taskResourceLocalHandlers: {
        [STATEMENT_RUN_STATE.sendSegment]: async (input) => {
          const part = (await lambdas.statementRun(input)) as StatementRunSummary;
          parts.push(part);
          return { sent: part.statements.sent };
        },
        [STATEMENT_RUN_STATE.redrive]: async (input) => {
          advanceClock(waitSeconds * 1000);
          const summary = (await lambdas.redriveRun(input)) as RedriveSummary;
          redrives.push(summary);
          return { stillDue: summary.stillDue };
        },
      },
    },
  });
  await execution.result;
  return { statements: combineStatementRuns(parts), redrives };
}

/** An execution id as Step Functions gives one (a fresh one per run). */
export function localExecutionId(): string {
  return `arn:aws:states:ap-southeast-1:000000000000:execution:StatementRun:${randomUUID()}`;
}
