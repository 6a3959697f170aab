import { z } from 'zod';
import { isoDateSchema } from './records.ts';
import { scanRunInputSchema } from './run-input.ts';

/**
 * What the monthly-run function is invoked with. Directly (the schedule of old, a rerun, the local
 * CLI) or by its state machine for one segment: a scan run's input (`scanRunInputSchema`). By the
 * state machine's first and last steps: `phase: 'plan'` (fix the date and the split, take the run's
 * lease) and `phase: 'summary'` (add the segments' parts up).
 */
const count = z.number().int().min(0);
const amount = z.number().int();
const tally = {
  unitsScanned: count, malformed: count, paidUp: count, delinquent: count, onHold: count, underArrangement: count,
  byStage: z.object({ 'urging-notice': count, 'officer-visit': count, inspection: count }),
  byMonthsOverdue: z.object({ '1': count, '2': count, '3-5': count, '6+': count }),
  executionsStarted: count, executionsAlreadyStarted: count, casesClosed: count,
  receivable: amount, arrears: amount, interestOutstanding: amount, credit: amount,
};

/** A segment's part as the Map hands it on (the function's own output, read back at the boundary). */
export const monthlyRunPartSchema = z.object({
  ...tally,
  cycle: z.string(), asOf: isoDateSchema, policyVersion: z.string(), debtRatioPercent: z.number(),
  startedAt: z.string(), finishedAt: z.string(),
  malformedSamples: z.array(z.object({ key: z.string(), reason: z.string() })),
  segments: z.array(count), totalSegments: z.number().int().min(1), startsThrottled: count,
});

/** A segment the Map gave up on: its catch says which segments and the error's name. */
export const unfinishedSegmentSchema = z.object({ unfinished: z.object({ segments: z.array(count), error: z.string().max(200) }) });

export const monthlyRunPlanInputSchema = z.object({
  phase: z.literal('plan'),
  /** The execution's input: {} from the schedule, `{ asOf }` for a rerun of a date. */
  input: z.object({ asOf: isoDateSchema.optional() }),
  runId: z.string().min(1).max(200),
});

export const monthlyRunSummaryInputSchema = z.object({
  phase: z.literal('summary'),
  asOf: isoDateSchema,
  totalSegments: z.number().int().min(1).max(256),
  runId: z.string().min(1).max(200),
  parts: z.array(z.union([unfinishedSegmentSchema, monthlyRunPartSchema])).max(256),
});

/** A segment (or a whole run): no phase, or `segment`; a plan or summary that fails its schema is refused, never run as a whole run. */
const segmentInputSchema = z.object({ phase: z.literal('segment').optional() }).and(scanRunInputSchema);

export const monthlyRunInputSchema = z.union([monthlyRunPlanInputSchema, monthlyRunSummaryInputSchema, segmentInputSchema]);
