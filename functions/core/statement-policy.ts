/** The policy's statement section: its schema is policy/statement-schema.ts, its values in the policy's versions. */
export * from './policy/statement-schema.ts';
export { STATEMENT_2025 } from './policy/versions/2025-07-01.ts';
