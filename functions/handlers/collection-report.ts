import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { isoDateSchema } from '../commons/records.ts';
import { runCollectionReport } from '../steps/collection-report.ts';

/** Scheduled after the monthly run; `asOf` for a report on another date. The office's managers are emailed its headline, once per date. */
export const inputSchema = z.object({ asOf: isoDateSchema.optional() });

export const handler = lambdaHandler(inputSchema, (input) => {
  const deps = awsDeps();
  return runCollectionReport(deps, { asOf: input.asOf ?? deps.clock.today() });
});
