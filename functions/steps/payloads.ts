import { z } from 'zod';
import { isoDateSchema, periodSchema, unitCodeSchema, officerIdSchema, STAGE_NAMES, TASK_OUTCOMES } from '../commons/records.ts';
import { OFFICER_ROLES, TASK_TYPES } from '../core/policy.ts';

/** The payloads passed between the escalation workflow's steps: validated at every step. */

export const escalationInputSchema = z.object({
  unitCode: unitCodeSchema,
  cycle: periodSchema,
  asOf: isoDateSchema,
});
export type EscalationInput = z.infer<typeof escalationInputSchema>;

export const taskSpecSchema = z.object({
  type: z.enum(TASK_TYPES),
  role: z.enum(OFFICER_ROLES),
  dueDays: z.number().int().min(1),
});

export const assessmentSchema = z.object({
  cleared: z.boolean(),
  /** In arrears, but follow-up is paused by a hold through `holdUntil`. */
  onHold: z.boolean(),
  stage: z.enum(STAGE_NAMES).nullable(),
  monthsOverdue: z.number().int().min(0),
  debt: z.number().int().min(0),
  anchorPeriod: periodSchema.nullable(),
  needsTask: z.boolean(),
  task: taskSpecSchema.nullable(),
});
export type Assessment = z.infer<typeof assessmentSchema>;

export const assignmentSchema = z.discriminatedUnion('assigned', [
  z.object({ assigned: z.literal(false), reason: z.string() }),
  z.object({
    assigned: z.literal(true),
    officerId: officerIdSchema,
    taskId: z.string().min(1),
    taskType: z.enum(TASK_TYPES),
    role: z.enum(OFFICER_ROLES),
    dueDate: isoDateSchema,
    timeoutSeconds: z.number().int().min(1),
  }),
]);
export type Assignment = z.infer<typeof assignmentSchema>;

/** What an officer's recorded outcome sends back to the waiting workflow. */
export const taskResultSchema = z.object({
  taskId: z.string(),
  outcome: z.enum(TASK_OUTCOMES),
  officerId: officerIdSchema,
});
export type TaskResult = z.infer<typeof taskResultSchema>;
