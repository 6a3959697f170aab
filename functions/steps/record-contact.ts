import { z } from 'zod';
import { CONTACT_CHANNELS, CONTACT_RESULTS } from '../core/case-events.ts';
import { localDate } from '../core/dates.ts';
import { OFFICE_TIME_ZONE } from '../core/policy.ts';
import type { Ports } from '../commons/deps.ts';
import { InvalidInputError, TaskNotOpenError } from '../commons/errors.ts';
import { contactAttemptSchema, isoDateSchema, type TaskRecord } from '../commons/records.ts';

/**
 * The contact log: an officer records an attempt to reach the unit (date, channel, person met,
 * result, note) on an open task, without closing it. The attempt (with the person met and the
 * note) goes on the contact record, once by its id; the case history gets an event that says only
 * whether there were a person and a note.
 */

export const contactInputSchema = z.object({
  attemptId: contactAttemptSchema.shape.attemptId,
  on: isoDateSchema,
  channel: z.enum(CONTACT_CHANNELS),
  result: z.enum(CONTACT_RESULTS),
  personMet: z.string().trim().max(120).optional(),
  note: z.string().trim().max(1000).optional(),
});
export type ContactInput = z.infer<typeof contactInputSchema>;

export async function recordContact(
  deps: Ports<'casework' | 'clock'>,
  task: TaskRecord,
  input: ContactInput & { actor: string },
): Promise<{ recorded: boolean }> {
  if (task.status !== 'open') throw new TaskNotOpenError(task.taskId);
  const today = deps.clock.today();
  const opened = localDate(new Date(task.createdAt), OFFICE_TIME_ZONE);
  if (input.on > today) throw new InvalidInputError([{ field: 'on', reason: 'must not be after today' }]);
  if (input.on < opened) throw new InvalidInputError([{ field: 'on', reason: `must not be before the task was opened (${opened})` }]);
  const at = deps.clock.now().toISOString();
  const personMet = input.personMet || undefined;
  const note = input.note || undefined;
  const recorded = await deps.casework.putContactAttempt({
    unitCode: task.unitCode, attemptId: input.attemptId, taskId: task.taskId, cycle: task.cycle, on: input.on, channel: input.channel, result: input.result,
    ...(personMet && { personMet }), ...(note && { note }), recordedBy: input.actor, recordedAt: at,
  });
  // Written after the record, keyed by the same id: a retry that finds the record still adds a missing event.
  await deps.casework.appendEvent({
    unitCode: task.unitCode, cycle: task.cycle, at, kind: 'contact-attempted', actor: input.actor,
    detail: {
      taskId: task.taskId, taskType: task.type, escalated: task.escalated, attemptId: input.attemptId, on: input.on,
      channel: input.channel, result: input.result, hasPersonMet: personMet !== undefined, hasNote: note !== undefined,
    },
  });
  return { recorded };
}
