import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { statementRunDefinition, synthesizeTemplate } from '../../infra/definition.ts';
import { combineStatementRuns, type StatementRunSummary } from '../../functions/steps/statement-run.ts';
import { STATEMENT_RUN_STATE } from '../../workflows/state-names.ts';
import type { LocalLambda } from './lambda.ts';

/**
 * The statement run as the scheduler starts it in AWS: the synthesized `StatementRun` state
 * machine, its Map calling the statement function once per scan segment. The segments' summaries
 * (which the machine discards) are gathered here into one for the closing summary.
 */
export async function runStatementMachine(statementRun: LocalLambda): Promise<StatementRunSummary> {
  const parts: StatementRunSummary[] = [];
  const machine = new StateMachine(statementRunDefinition(synthesizeTemplate()) as never, { validationOptions: { checkPaths: false, checkArn: false } });
  // The execution's id names the run: its segments' leases are held by it (functions/commons/run-lease.ts).
  const execution = machine.run({}, {
    context: { Execution: { Id: localExecutionId() } },
    overrides: {
      taskResourceLocalHandlers: {
        [STATEMENT_RUN_STATE.sendSegment]: async (input) => {
          const part = (await statementRun(input)) as StatementRunSummary;
          parts.push(part);
          return { sent: part.statements.sent };
        },
      },
    },
  });
  await execution.result;
  return combineStatementRuns(parts);
}

/** An execution id as Step Functions gives one (a fresh one per run). */
export function localExecutionId(): string {
  return `arn:aws:states:ap-southeast-1:000000000000:execution:StatementRun:${randomUUID()}`;
}
