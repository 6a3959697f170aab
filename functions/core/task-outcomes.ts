/** What an officer may record as the outcome of a task (per type: `TASK_OUTCOMES_BY_TYPE` in commons/records.ts). */
export const TASK_OUTCOMES = [
  'contacted', 'promised-to-pay', 'plan-agreed', 'disputed', 'unreachable', 'paid', 'refer-to-inspection',
  'penalty-proposed', 'closed', 'renewed', 'declined',
  // A tax-data check's (functions/core/tax-check.ts): employees registered, wage corrected, explained.
  'registered', 'wage-corrected', 'explained',
] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];
