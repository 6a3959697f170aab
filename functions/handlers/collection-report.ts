import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps, documentsOf } from '../commons/deps.ts';
import { isoDateSchema } from '../commons/records.ts';
import { localDate } from '../core/dates.ts';
import { OFFICE_TIME_ZONE } from '../core/policy.ts';
import { writeCollectionReport } from '../steps/collection-report.ts';

/** Scheduled after the monthly run; `asOf` for a report on another date. */
export const inputSchema = z.object({ asOf: isoDateSchema.optional() });

export const handler = lambdaHandler(inputSchema, (input) => {
  const deps = awsDeps();
  return writeCollectionReport(deps, documentsOf(deps), { asOf: input.asOf ?? localDate(deps.now(), OFFICE_TIME_ZONE) });
});
