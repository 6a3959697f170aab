import { z } from 'zod';
import { instalmentSchema, isoDateSchema, periodSchema, unitCodeSchema, officerIdSchema, STAGE_NAMES, TASK_OUTCOMES, vndSchema } from '../commons/records.ts';
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
  /** In arrears, but follow-up is paused: by a hold, or while a promise or plan is kept. */
  onHold: z.boolean(),
  pausedBy: z.enum(['hold', 'promise', 'plan']).nullable(),
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
    /** The team lead's task after the first ran past its due date. */
    escalated: z.boolean(),
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

/**
 * An outcome as staff record it (API, CLI, the record-outcome function): a promise to pay comes
 * with its date and amount, a payment plan with its instalments, and nothing else carries either.
 */
export const outcomeInputSchema = z
  .object({
    taskId: z.string().min(1).max(80),
    outcome: z.enum(TASK_OUTCOMES),
    note: z.string().trim().max(1000).optional(),
    promise: z.object({ payBy: isoDateSchema, amount: vndSchema.refine((v) => v > 0, 'must be more than zero') }).optional(),
    instalments: z.array(instalmentSchema).min(1).max(60).optional(),
    /** A tax-data check's "registered": how many employees the unit registered (core/tax-check.ts). */
    registered: z.number().int('must be a whole number').min(1, 'must be at least 1').max(10_000, 'must be at most 10000').optional(),
    /** A tax-data check's "explained": the policy's reason code. */
    reason: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'must be a reason code of the policy').optional(),
  })
  .superRefine((o, ctx) => {
    if (o.outcome === 'promised-to-pay' && !o.promise) ctx.addIssue({ code: 'custom', path: ['promise'], message: 'is required for a promise to pay (payBy and amount)' });
    if (o.outcome !== 'promised-to-pay' && o.promise) ctx.addIssue({ code: 'custom', path: ['promise'], message: 'is only for the promised-to-pay outcome' });
    if (o.outcome === 'plan-agreed' && !o.instalments) ctx.addIssue({ code: 'custom', path: ['instalments'], message: 'are required for a payment plan (dueDate and amount each)' });
    if (o.outcome !== 'plan-agreed' && o.instalments) ctx.addIssue({ code: 'custom', path: ['instalments'], message: 'are only for the plan-agreed outcome' });
  });
export type OutcomeInput = z.infer<typeof outcomeInputSchema>;
