import { z } from 'zod';
import { isValidDate, PERIOD } from './dates.ts';

/**
 * The zod schemas of a calendar date and a contribution period: the one definition that the
 * policy, the stored records, the workflow payloads and the handlers' inputs all validate with.
 */
export const isoDateSchema = z.string().refine(isValidDate, 'must be a calendar date YYYY-MM-DD');
export const periodSchema = z.string().regex(PERIOD, 'must be a contribution period YYYY-MM');
