/** The policy's reminders section: its schema is policy/reminders-schema.ts, its values in the policy's versions. */
export * from './policy/reminders-schema.ts';
export { REMINDERS_2025 } from './policy/versions/2025-07-01.ts';
