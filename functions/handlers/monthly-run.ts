import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { monthlyRunInputSchema } from '../commons/monthly-run-input.ts';
import { planMonthlyRun, runMonthlyCycle, summarizeMonthlyRun } from '../steps/monthly-run.ts';
import { invocationLease } from '../commons/run-lease.ts';

/**
 * Started early each month (Asia/Ho_Chi_Minh) by the monthly run's state machine: plan, one
 * invocation per scan segment, summary. Invoked directly with `asOf` (and segments, or none for all)
 * for a rerun.
 */
export const inputSchema = monthlyRunInputSchema;

export const handler = lambdaHandler(inputSchema, (input, context) => {
  if ('phase' in input && input.phase === 'plan') return planMonthlyRun(awsDeps(), { asOf: input.input.asOf, runId: invocationLease(context, input.runId).runId! });
  if ('phase' in input && input.phase === 'summary') return summarizeMonthlyRun(awsDeps(), { ...input, runId: invocationLease(context, input.runId).runId! });
  return runMonthlyCycle(awsDeps(), input, {}, invocationLease(context, input.runId));
});
