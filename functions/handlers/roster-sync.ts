import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { rosterSyncInputSchema, syncStaff } from '../steps/sync-staff.ts';

/** Invoked by the import once officers.csv is loaded: the officer ids it loaded and refused (never emails or names). */
export const inputSchema = rosterSyncInputSchema;

export const handler = lambdaHandler(inputSchema, (input) => syncStaff(awsDeps(), input));
